package saliency.model.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import saliency.model.data.DataPosition;
import saliency.model.policy.PolicyNetwork;
import saliency.model.reward.RewardFunction;
import saliency.model.rl.AlgorithmName;
import saliency.model.train.PolicyTrainer;
import saliency.model.train.TrainSettings;
import saliency.model.train.TrainingData;

/**
 * RL algorithms raced from one SFT warm start with the single-process trainer ({@link PolicyTrainer#rl}, the
 * algorithm objects the pipeline runs too): same seed, data stream and wall-clock budget each, the held-out reward of
 * greedy answers taken every few seconds with the clock stopped while it is taken. Holds only its settings.
 *
 * @param base settings of every arm (the algorithm is replaced per arm; its group size, confidence and learning rates
 *     are kept)
 * @param algorithms the arms, in order
 * @param sftSeconds wall clock of the shared SFT warm start
 * @param secondsPerArm wall clock of each arm's RL, evaluation excluded
 * @param evalEverySeconds seconds of RL between held-out evaluations
 * @param heldOutImages synthetic held-out scenes evaluated
 */
public record AlgorithmRace(TrainSettings base, List<AlgorithmName> algorithms, double sftSeconds,
    double secondsPerArm, double evalEverySeconds, int heldOutImages) {

  public AlgorithmRace {
    Objects.requireNonNull(base, "base");
    algorithms = List.copyOf(algorithms);
    if (algorithms.isEmpty() || !(secondsPerArm > 0) || !(evalEverySeconds > 0) || heldOutImages < 1
        || sftSeconds < 0) {
      throw new IllegalArgumentException("race: algorithms " + algorithms + ", " + secondsPerArm + " s per arm, eval "
          + "every " + evalEverySeconds + " s, " + heldOutImages + " held-out images, SFT " + sftSeconds + " s");
    }
  }

  /** One held-out evaluation: RL seconds (evaluation excluded) and samples so far, and the mean greedy reward. */
  public record Point(double seconds, long samples, double reward) {}

  /** One arm's evaluations (the first at the warm start) and what its RL did. */
  public record Curve(AlgorithmName algorithm, List<Point> points, long steps, long samples, double seconds) {
    public Curve {
      Objects.requireNonNull(algorithm, "algorithm");
      points = List.copyOf(points);
    }

    public double finalReward() {
      return points.get(points.size() - 1).reward();
    }

    /** The first evaluation at or above {@code target}, or null when none reached it. */
    public Point firstAtLeast(double target) {
      for (Point p : points) {
        if (p.reward() >= target) {
          return p;
        }
      }
      return null;
    }
  }

  /** The warm start's held-out reward and each arm's curve. */
  public record Result(double warmStartReward, long sftSteps, List<Curve> curves) {
    public Result {
      curves = List.copyOf(curves);
    }

    public Curve curve(AlgorithmName a) {
      for (Curve c : curves) {
        if (c.algorithm() == a) {
          return c;
        }
      }
      throw new IllegalArgumentException("no arm " + a.configName() + " in this race");
    }
  }

  /** Runs the warm start and every arm on {@code clock}, reporting each evaluation to {@code log}. */
  public Result run(LongSupplier clock, Consumer<String> log) {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(log, "log");
    PolicyTrainer.Listener quiet = (phase, step, elapsed, budget, stats) -> {};
    try (PolicyNetwork net = PolicyNetwork.create(base.policyConfig())) {
      PolicyTrainer warm = new PolicyTrainer(base, net, clock, quiet);
      TrainingData td = TrainingData.synthetic(warm.encoder(), base.seed(), heldOutImages, DataPosition.START);
      PolicyTrainer.PhaseResult sft = warm.sft(td.train(), sftSeconds);
      float[] warmWeights = net.getFlatWeights();
      HeldOutReward eval = new HeldOutReward(warm.encoder(), new RewardFunction(base.rewardWeights()));
      double r0 = eval.mean(net, td.heldOut());
      log.accept(String.format(java.util.Locale.ROOT, "race: warm start %d SFT steps in %.0f s, held-out reward %.4f",
          sft.steps(), sft.seconds(), r0));
      List<Curve> curves = new ArrayList<>();
      for (AlgorithmName a : algorithms) {
        net.setFlatWeights(warmWeights);
        TrainSettings s = base.withRl(base.rl().withAlgo(a, base.rl().confidence()));
        int group = s.rl().algorithm().completionsPerPrompt();
        int perStep = s.rlPhase().batch() / group * group;
        PausableClock pc = new PausableClock(clock);
        List<Point> points = new ArrayList<>();
        points.add(new Point(0, 0, r0));
        double[] next = {evalEverySeconds};
        PolicyTrainer t = new PolicyTrainer(s, net, pc, (phase, step, elapsed, budget, stats) -> {
          if (elapsed >= next[0] && elapsed < budget) {
            pc.pause();
            points.add(new Point(elapsed, step * perStep, eval.mean(net, td.heldOut())));
            pc.resume();
            next[0] += evalEverySeconds;
          }
        });
        TrainingData armData = TrainingData.synthetic(t.encoder(), s.seed(), heldOutImages, DataPosition.START);
        t.freezeReference();
        PolicyTrainer.PhaseResult r = t.rl(armData.train(), secondsPerArm);
        points.add(new Point(r.seconds(), r.samples(), eval.mean(net, td.heldOut())));
        Curve c = new Curve(a, points, r.steps(), r.samples(), r.seconds());
        log.accept(String.format(java.util.Locale.ROOT, "race: %s %d steps, %d samples in %.1f s, held-out reward "
            + "%.4f -> %.4f", a.configName(), r.steps(), r.samples(), r.seconds(), r0, c.finalReward()));
        curves.add(c);
      }
      return new Result(r0, sft.steps(), curves);
    }
  }

  /** A clock that stands still while paused: the trainer's budget then excludes the evaluations. */
  static final class PausableClock implements LongSupplier {
    private final LongSupplier clock;
    private long pausedTotal;
    private long pausedAt = -1;

    PausableClock(LongSupplier clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    void pause() {
      if (pausedAt < 0) {
        pausedAt = clock.getAsLong();
      }
    }

    void resume() {
      if (pausedAt >= 0) {
        pausedTotal += clock.getAsLong() - pausedAt;
        pausedAt = -1;
      }
    }

    @Override
    public long getAsLong() {
      return (pausedAt >= 0 ? pausedAt : clock.getAsLong()) - pausedTotal;
    }
  }
}
