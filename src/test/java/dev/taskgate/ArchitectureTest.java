package dev.taskgate;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The package rules of the design: adapters stay thin, the core never knows its adapters. */
@AnalyzeClasses(packages = "dev.taskgate", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreDoesNotKnowAdapters = noClasses()
            .that().resideInAnyPackage("dev.taskgate.task..", "dev.taskgate.workflow..", "dev.taskgate.events..",
                    "dev.taskgate.tools..", "dev.taskgate.llm..", "dev.taskgate.auth..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.taskgate.rest..", "dev.taskgate.grpc..");

    @ArchTest
    static final ArchRule adaptersDoNotTouchRepositoriesOrTemporal = noClasses()
            .that().resideInAnyPackage("dev.taskgate.rest..", "dev.taskgate.grpc..")
            .should().dependOnClassesThat().haveSimpleNameEndingWith("Repository")
            .orShould().dependOnClassesThat().resideInAnyPackage("io.temporal..", "dev.taskgate.workflow..");

    @ArchTest
    static final ArchRule llmDoesNotKnowTasks = noClasses()
            .that().resideInAPackage("dev.taskgate.llm..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.taskgate.task..", "dev.taskgate.workflow..");
}
