package saliency.actors.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import saliency.model.rl.AlgorithmName;
import saliency.model.rl.RlSettings;

class SaliencySettingsTest {
  @Test
  void readsTheDefaultsOfApplicationConf() {
    SaliencySettings s = SaliencySettings.fromConfig(ConfigFactory.load());
    assertEquals(RlSettings.defaults(), s.rl(), "saliency.rl in application.conf holds RlSettings.defaults()");
    assertEquals(4, s.learner().slices());
    // the learner's RL rate in application.conf is the one train uses by default
    assertEquals(saliency.model.train.TrainSettings.defaults().rlPhase().learningRate(),
        s.learner().adam().learningRate(), 0);
    assertEquals(Duration.ofSeconds(5), s.policy().resubscribeInterval());
    assertEquals(256 * 1024, s.maximumFrameSize());
    assertEquals((256 * 1024 - 8192 - 256) / 4, s.maxFloatsPerSlice());
    assertTrue(s.selfJoin());
    assertEquals("cluster", ConfigFactory.load().getString("pekko.actor.provider"));
  }

  @Test
  void badValuesNameTheirKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SaliencySettings.fromConfig(
        ConfigFactory.parseString("saliency.rl.algo = ppo").withFallback(ConfigFactory.load())));
    assertEquals("saliency.rl.algo: unknown algorithm 'ppo'; valid: cgpo, grpo, gspo, reinforce++", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SaliencySettings.fromConfig(
        ConfigFactory.parseString("saliency.rl { algo = cgpo, token-clip-low = 1.5 }")
            .withFallback(ConfigFactory.load())));
    assertTrue(e.getMessage().contains("saliency.rl") && e.getMessage().contains("token-clip"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SaliencySettings.fromConfig(ConfigFactory.parseString(
        "saliency.rl { algo = GRPO, group-size = 1 }").withFallback(ConfigFactory.load())));
    assertEquals("saliency.rl: group-size must be at least 2 for grpo, got 1", e.getMessage());
    assertEquals(AlgorithmName.REINFORCE_PP, SaliencySettings.fromConfig(ConfigFactory.parseString(
        "saliency.rl.algo = \"REINFORCE++\"").withFallback(ConfigFactory.load())).rl().algo());
  }

  @Test
  void policyCountIsANumberOrOnePerCore() {
    int auto = SaliencySettings.fromConfig(ConfigFactory.load()).policy().count();
    assertEquals(Math.min(SaliencySettings.AUTO_POLICY_COUNT_MAX, Runtime.getRuntime().availableProcessors()), auto);
    assertEquals(3, SaliencySettings.fromConfig(ConfigFactory.parseString("saliency.policy.count = 3")
        .withFallback(ConfigFactory.load())).policy().count());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SaliencySettings.fromConfig(
        ConfigFactory.parseString("saliency.policy.count = 9").withFallback(ConfigFactory.load())));
    assertTrue(e.getMessage().contains("saliency.policy.count 9") && e.getMessage().contains("fixed-pool-size"),
        e.getMessage());
  }

  @Test
  void rlSettingsRoundTripThroughConfig() {
    RlSettings s = new RlSettings(AlgorithmName.GSPO, 8, 12, "head", false, 0.1, 0.3, 1e-3, 2e-3, 0.05, 0.5, 0.25,
        true);
    assertEquals(s, SaliencySettings.rl(SaliencySettings.rlConfig(s).getConfig("saliency.rl")));
  }

  @Test
  void layoutCoversTheVectorAndRaisesTheSliceCountToFitTheFrame() {
    SliceLayout small = SliceLayout.of(10, 4, 100);
    assertEquals(4, small.slices());
    int next = 0;
    for (int i = 0; i < small.slices(); i++) {
      assertEquals(next, small.offset(i));
      next += small.length(i);
    }
    assertEquals(10, next);
    assertEquals(3, small.maxLength());
    SliceLayout raised = SliceLayout.of(1_000_001, 2, 1000);
    assertEquals(1001, raised.slices());
    assertTrue(raised.maxLength() <= 1000);
    assertEquals(1_000_001, raised.offset(1000) + raised.length(1000));
    assertEquals(3, SliceLayout.of(3, 8, 100).slices(), "never more slices than parameters");
  }

  @Test
  void multiNodeConfigTurnsOffSelfJoinAndUsesTheFixedPort() {
    com.typesafe.config.Config c = ConfigFactory.load("multi-node");
    assertTrue(!SaliencySettings.fromConfig(c).selfJoin());
    assertEquals(System.getenv("SALIENCY_PORT") == null ? 25520 : Integer.parseInt(System.getenv("SALIENCY_PORT")),
        c.getInt("pekko.remote.artery.canonical.port"));
    assertEquals("saliency.actors.serialization.kryo.KryoSerializer", c.getString("pekko.actor.serializers.saliency-kryo"));
  }
}
