package saliency;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Layering of the three source roots: {@code model} is plain Java + TensorFlow, {@code streams}
 * builds on it with Pekko Streams, {@code actors} sits on top. Only production classes are
 * checked; tests may reach across layers.
 */
@AnalyzeClasses(packages = "saliency", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule modelDependsOnNeitherStreamsNorActors =
      noClasses()
          .that().resideInAPackage("saliency.model..")
          .should().dependOnClassesThat()
          .resideInAnyPackage("saliency.streams..", "saliency.actors..");

  @ArchTest
  static final ArchRule modelDependsNotOnPekko =
      noClasses()
          .that().resideInAPackage("saliency.model..")
          .should().dependOnClassesThat().resideInAPackage("org.apache.pekko..");

  @ArchTest
  static final ArchRule streamsDependsNotOnActors =
      noClasses()
          .that().resideInAPackage("saliency.streams..")
          .should().dependOnClassesThat().resideInAPackage("saliency.actors..");

  /**
   * One slice per package (saliency.actors, saliency.actors.learner, saliency.model.geometry, ...),
   * so a cycle between sibling packages or between a package and its parent is reported.
   */
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("saliency.(**)").should().beFreeOfCycles();
}
