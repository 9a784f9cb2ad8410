package dev.taskgate;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;
import java.util.UUID;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package rules of the design: adapters stay thin, the core never knows its adapters, workflows stay deterministic. */
@AnalyzeClasses(packages = "dev.taskgate", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.taskgate.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule coreDoesNotKnowAdapters = noClasses()
            .that().resideInAnyPackage("dev.taskgate.task..", "dev.taskgate.workflow..", "dev.taskgate.events..",
                    "dev.taskgate.tools..", "dev.taskgate.llm..", "dev.taskgate.auth..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.taskgate.rest..", "dev.taskgate.grpc..");

    @ArchTest
    static final ArchRule adaptersDoNotTouchRepositoriesOrTemporal = noClasses()
            .that().resideInAnyPackage("dev.taskgate.rest..", "dev.taskgate.grpc..")
            .should().dependOnClassesThat().haveSimpleNameEndingWith("Repository")
            .orShould().dependOnClassesThat().resideInAnyPackage("io.temporal..", "dev.taskgate.workflow..",
                    "dev.taskgate.temporal..");

    @ArchTest
    static final ArchRule tasksReachTemporalThroughTheirOwnInterface = noClasses()
            .that().resideInAPackage("dev.taskgate.task..")
            .should().dependOnClassesThat().resideInAnyPackage("io.temporal..", "dev.taskgate.temporal..",
                    "dev.taskgate.workflow..");

    @ArchTest
    static final ArchRule llmDoesNotKnowTasks = noClasses()
            .that().resideInAPackage("dev.taskgate.llm..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.taskgate.task..", "dev.taskgate.workflow..");

    /** Workflow code replays from history: no clock, randomness, threads or I/O of its own (activities do those). */
    @ArchTest
    static final ArchRule workflowCodeIsDeterministic = noClasses()
            .that().resideInAPackage("dev.taskgate.workflow..")
            .should().dependOnClassesThat().belongToAnyOf(Random.class, SecureRandom.class, UUID.class, Thread.class,
                    Clock.class)
            .orShould().dependOnClassesThat().resideInAnyPackage("java.util.concurrent..", "java.io..", "java.net..",
                    "java.nio..", "java.sql..", "jakarta.persistence..", "dev.taskgate.temporal..")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethod(Math.class, "random")
            .orShould().callMethodWhere(target(name("now")).and(target(owner(resideInAPackage("java.time..")))));
}
