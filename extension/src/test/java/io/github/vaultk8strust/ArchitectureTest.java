package io.github.vaultk8strust;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layers of ARCHITECTURE.md true: no package imports a higher layer, the two backends do not know each
 * other, and there are no cycles. A test, not a hope.
 */
class ArchitectureTest {

    private static final String ROOT = "io.github.vaultk8strust";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    /** The layers, lowest first. */
    static ArchRule layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("API").definedBy(inPackage(ROOT))
                .layer("Support").definedBy(ROOT + ".support..")
                .layer("SPI").definedBy(ROOT + ".spi..")
                .layer("Backends").definedBy(ROOT + ".backend..")
                .layer("Core").definedBy(ROOT + ".core..")
                .layer("Verify").definedBy(ROOT + ".verify..")
                .layer("JUnit").definedBy(ROOT + ".junit..")
                .layer("Tools").definedBy(ROOT + ".tools..")
                .whereLayer("Tools").mayNotBeAccessedByAnyLayer()
                .whereLayer("JUnit").mayNotBeAccessedByAnyLayer()
                .whereLayer("Verify").mayNotBeAccessedByAnyLayer()
                .whereLayer("Core").mayOnlyBeAccessedByLayers("JUnit")
                .whereLayer("Backends").mayOnlyBeAccessedByLayers("Tools")
                .whereLayer("SPI").mayOnlyBeAccessedByLayers("Backends", "Core", "JUnit")
                .whereLayer("Support").mayOnlyBeAccessedByLayers("SPI", "Backends", "Core", "Verify", "JUnit", "Tools");
    }

    /**
     * Only the JUnit adapter knows JUnit: the API, the core, the backends and the tools also run under the builder, in
     * TestNG or in a {@code main}, and the core says "not here" with the library's own exception, which the adapter
     * turns into an abort. The verification toolkit is the one deliberate exception, see
     * {@link #verifyUsesJUnitOnlyForDynamicTests()}.
     */
    static ArchRule onlyTheAdapterKnowsJUnit() {
        return ArchRuleDefinition.noClasses().that().resideOutsideOfPackages(ROOT + ".junit..", ROOT + ".verify..")
                .should().dependOnClassesThat().resideInAnyPackage("org.junit..", "org.opentest4j..")
                .as("no class outside " + ROOT + ".junit (and .verify) depends on JUnit (org.junit.., "
                        + "org.opentest4j..)");
    }

    /** JUnit classes outside the dynamic-test factory API. */
    private static final DescribedPredicate<JavaClass> JUNIT_BEYOND_DYNAMIC_TESTS = DescribedPredicate.describe(
            "JUnit beyond DynamicTest", c -> (c.getPackageName().startsWith("org.junit")
                    || c.getPackageName().startsWith("org.opentest4j"))
                    && !c.getName().equals("org.junit.jupiter.api.DynamicTest")
                    && !c.getName().equals("org.junit.jupiter.api.function.Executable"));

    private static DescribedPredicate<JavaClass> inPackage(String name) {
        return DescribedPredicate.describe("in package " + name, c -> c.getPackageName().equals(name));
    }

    @Test
    void noLayerImportsAHigherOne() {
        layers().check(CLASSES);
    }

    @Test
    void theApiDependsOnNothingOfTheLibrary() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses().that(inPackage(ROOT))
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".(*)..")
                .check(CLASSES);
    }

    @Test
    void onlyTheJUnitAdapterDependsOnJUnit() {
        onlyTheAdapterKnowsJUnit().check(CLASSES);
    }

    @Test
    void verifyUsesJUnitOnlyForDynamicTests() {
        // PolicyMatrix.tests(...) and AdversarialTokens.tests() return Stream<DynamicTest> for a @TestFactory; nothing
        // else of JUnit is allowed there.
        ArchRuleDefinition.noClasses().that().resideInAPackage(ROOT + ".verify..").should().dependOnClassesThat(
                JUNIT_BEYOND_DYNAMIC_TESTS).check(CLASSES);
    }

    @Test
    void theJUnitRuleCatchesACoreThatAbortsATest() {
        // What the core once did: call Assumptions.abort itself instead of throwing the library's exception.
        JavaClasses withViolation = new ClassFileImporter().importClasses(JUnitCall.class);
        assertThatThrownBy(() -> onlyTheAdapterKnowsJUnit().check(withViolation)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("JUnitCall").hasMessageContaining("org.junit.jupiter.api.Assumptions.abort");
    }

    @Test
    void backendsDoNotKnowEachOther() {
        slices().matching(ROOT + ".backend.(*)..").should().notDependOnEachOther().check(CLASSES);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theLayerRuleCatchesAnUpwardImport() {
        // The rule must be able to fail: the core importing the JUnit adapter is exactly what it forbids.
        JavaClasses withViolation = new ClassFileImporter().importClasses(
                io.github.vaultk8strust.core.TrustSettings.class, UpwardImport.class,
                io.github.vaultk8strust.junit.VaultK8sTrust.class);
        assertThat(UpwardImport.class.getPackageName()).isEqualTo(ROOT);
        assertThatThrownBy(() -> layers().check(withViolation)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("UpwardImport");
    }

    /** A class outside the adapter that aborts a test through JUnit: forbidden. */
    static final class JUnitCall {
        @SuppressWarnings("unused")
        void skip() {
            org.junit.jupiter.api.Assumptions.abort("no pods here");
        }
    }

    /** A class in the API package that uses the JUnit adapter: forbidden. */
    static final class UpwardImport {
        @SuppressWarnings("unused")
        io.github.vaultk8strust.junit.VaultK8sTrust annotation;
    }
}
