package dev.taskgate.docs;

import dev.taskgate.config.TaskgateConfig;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps the one configuration table of {@code docs/configuration.md} honest: every setting of
 * {@link TaskgateConfig} (walked reflectively: camelCase methods become kebab-case names, nested
 * interfaces dotted prefixes, {@code Map<String, X>} keys a {@code <placeholder>}) has a row,
 * every {@code taskgate.*} row still exists, documented defaults equal {@code @WithDefault} (and
 * {@code application.properties} for {@code quarkus.*} rows), environment variables follow the
 * property names, and settings read outside the mapping ({@code @ConfigProperty},
 * {@code Config.getOptionalValue}, {@code ${...}} expressions) are documented too.
 * Plain JUnit: reads the source tree, starts nothing.
 */
class ConfigurationDocTest {

    private static final Path DOC = Path.of("docs/configuration.md");
    private static final Path MAIN_SOURCES = Path.of("src/main/java");
    private static final Path APPLICATION_PROPERTIES = Path.of("src/main/resources/application.properties");

    /** A map key in a documented name: {@code <tier>} or {@code "<model>"}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\"?<[^>]+>\"?");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    /** Where the code reads a configuration property by name outside the mapping. */
    private static final List<Pattern> CONFIG_READS = List.of(
            Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\""),
            Pattern.compile("\\.get(?:Optional)?Value\\(\\s*\"([^\"]+)\""),
            Pattern.compile("setDefault\\(\\s*\\w+\\s*,\\s*\"([^\"]+)\""),
            Pattern.compile("\"\\$\\{([a-z][^}:\"]*)(?::[^}\"]*)?}\""));

    /** A leaf setting of the mapping: its name (map keys as {@code *}) and {@code @WithDefault}, if any. */
    record Setting(String name, Optional<String> defaultValue) {
    }

    /** A row of the configuration table. */
    record Row(int line, String env, String property, String defaultCell) {
        String normalized() {
            return normalize(property);
        }
    }

    private static Map<String, Setting> settings;
    private static List<Row> rows;

    @BeforeAll
    static void read() throws IOException {
        settings = new TreeMap<>();
        walk(TaskgateConfig.class, "taskgate", settings);
        rows = table(Files.readAllLines(DOC));
    }

    @Test
    void theMappingIsWalked() {
        // guards the walk itself: a group, a map of groups, an Optional list and an enum leaf
        assertTrue(settings.containsKey("taskgate.tasks.reconcile-after"), settings.keySet().toString());
        assertTrue(settings.containsKey("taskgate.llm.tiers.*.provider"), settings.keySet().toString());
        assertTrue(settings.containsKey("taskgate.llm.prices.*.input"), settings.keySet().toString());
        assertTrue(settings.containsKey("taskgate.rate-limit.keys"), settings.keySet().toString());
        assertEquals(Optional.of("all"), settings.get("taskgate.role").defaultValue());
        assertTrue(rows.size() >= settings.size(), "the table has fewer rows than there are settings");
    }

    @Test
    void everySettingHasARow() {
        TreeSet<String> documented = new TreeSet<>();
        rows.forEach(row -> documented.add(row.normalized()));
        List<String> missing = settings.keySet().stream().filter(name -> !documented.contains(name)).toList();
        if (!missing.isEmpty()) {
            fail("Settings of TaskgateConfig missing from " + DOC + " (add a row each; map keys as <name>):\n  "
                    + String.join("\n  ", missing));
        }
    }

    @Test
    void everyTaskgateRowExists() {
        List<String> stale = rows.stream()
                .filter(row -> row.property().startsWith("taskgate."))
                .filter(row -> !settings.containsKey(row.normalized()))
                .map(row -> DOC + ":" + row.line() + " " + row.property())
                .toList();
        if (!stale.isEmpty()) {
            fail("Rows of " + DOC + " for settings that TaskgateConfig no longer has:\n  "
                    + String.join("\n  ", stale));
        }
    }

    @Test
    void everySettingHasOneRow() {
        Map<String, Integer> seen = new TreeMap<>();
        List<String> twice = new ArrayList<>();
        for (Row row : rows) {
            Integer first = seen.putIfAbsent(row.normalized(), row.line());
            if (first != null) {
                twice.add(row.property() + " (lines " + first + " and " + row.line() + ")");
            }
        }
        if (!twice.isEmpty()) {
            fail("Settings documented more than once in " + DOC + ":\n  " + String.join("\n  ", twice));
        }
    }

    @Test
    void defaultsMatchWithDefault() {
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            Setting setting = settings.get(row.normalized());
            if (setting == null) {
                continue;
            }
            if (setting.defaultValue().isPresent()) {
                String expected = "`" + setting.defaultValue().get() + "`";
                if (!row.defaultCell().startsWith(expected)) {
                    wrong.add(DOC + ":" + row.line() + " " + row.property() + ": the default cell must start with "
                            + expected + " (@WithDefault), is: " + row.defaultCell());
                }
            } else if (!row.defaultCell().startsWith("—")) {
                wrong.add(DOC + ":" + row.line() + " " + row.property()
                        + ": has no @WithDefault, so its default cell must start with — (an explanation may follow), is: "
                        + row.defaultCell());
            }
        }
        if (!wrong.isEmpty()) {
            fail("Documented defaults that differ from the code:\n  " + String.join("\n  ", wrong));
        }
    }

    @Test
    void quarkusDefaultsMatchApplicationProperties() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(APPLICATION_PROPERTIES)) {
            properties.load(reader);
        }
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            String value = properties.getProperty(row.property());
            if (row.property().startsWith("quarkus.") && value != null
                    && !row.defaultCell().startsWith("`" + value.strip() + "`")) {
                wrong.add(DOC + ":" + row.line() + " " + row.property() + ": application.properties sets `"
                        + value.strip() + "`, the default cell is: " + row.defaultCell());
            }
        }
        if (!wrong.isEmpty()) {
            fail("Documented defaults that differ from application.properties:\n  " + String.join("\n  ", wrong));
        }
    }

    @Test
    void environmentVariablesFollowThePropertyNames() {
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            Matcher env = CODE.matcher(row.env());
            if (row.env().startsWith("—")) {
                if (!row.property().contains("\"")) {
                    wrong.add(DOC + ":" + row.line() + " " + row.property()
                            + ": only settings with quoted map keys may go without an environment variable");
                }
                continue;
            }
            String expected = environmentVariable(row.property());
            if (!env.find() || !env.group(1).equals(expected) || !row.env().strip().equals("`" + expected + "`")) {
                wrong.add(DOC + ":" + row.line() + " " + row.property() + ": environment variable should be `"
                        + expected + "`, is: " + row.env());
            }
        }
        if (!wrong.isEmpty()) {
            fail("Wrong environment variables:\n  " + String.join("\n  ", wrong));
        }
    }

    @Test
    void settingsReadOutsideTheMappingAreDocumented() throws IOException {
        TreeSet<String> documented = new TreeSet<>();
        rows.forEach(row -> documented.add(row.normalized()));
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> unknown = new TreeSet<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                for (Pattern read : CONFIG_READS) {
                    Matcher m = read.matcher(source);
                    while (m.find()) {
                        String name = m.group(1);
                        if (!name.startsWith("taskgate.") && !name.startsWith("quarkus.")) {
                            continue;
                        }
                        if (!documented.contains(normalize(name))) {
                            missing.add(name + " (read in " + MAIN_SOURCES.relativize(file) + ")");
                        }
                        if (name.startsWith("taskgate.") && !settings.containsKey(normalize(name))) {
                            unknown.add(name + " (read in " + MAIN_SOURCES.relativize(file) + ")");
                        }
                    }
                }
            }
        }
        assertTrue(unknown.isEmpty(), "taskgate.* names read by the code but not part of TaskgateConfig:\n  "
                + String.join("\n  ", unknown));
        assertTrue(missing.isEmpty(), "Settings the code reads by name that " + DOC + " does not document:\n  "
                + String.join("\n  ", missing));
    }

    // ---- the mapping ----

    private static void walk(Class<?> group, String prefix, Map<String, Setting> out) {
        for (Method method : group.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.getParameterCount() > 0) {
                continue;
            }
            WithName withName = method.getAnnotation(WithName.class);
            String name = prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
            WithDefault withDefault = method.getAnnotation(WithDefault.class);
            add(name, method.getGenericReturnType(), withDefault == null ? Optional.empty() : Optional.of(withDefault.value()), out);
        }
    }

    private static void add(String name, Type type, Optional<String> defaultValue, Map<String, Setting> out) {
        Class<?> raw = raw(type);
        if (raw == Optional.class) {
            Type inner = argument(type, 0);
            if (isGroup(raw(inner))) {
                walk(raw(inner), name, out);
            } else {
                out.put(name, new Setting(name, defaultValue));
            }
        } else if (raw == Map.class) {
            Type value = argument(type, 1);
            if (isGroup(raw(value))) {
                walk(raw(value), name + ".*", out);
            } else {
                out.put(name + ".*", new Setting(name + ".*", defaultValue));
            }
        } else if (isGroup(raw)) {
            walk(raw, name, out);
        } else {
            out.put(name, new Setting(name, defaultValue));  // scalars, enums, List, Duration, BigDecimal
        }
    }

    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && !type.getName().startsWith("java.");
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalArgumentException("unexpected type in TaskgateConfig: " + type);
    }

    private static Type argument(Type type, int index) {
        return ((ParameterizedType) type).getActualTypeArguments()[index];
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    // ---- the document ----

    /** The rows of the table whose header has Environment variable, Property, Default and Meaning. */
    private static List<Row> table(List<String> lines) {
        List<Row> found = new ArrayList<>();
        int tables = 0;
        for (int i = 0; i < lines.size(); i++) {
            List<String> header = cells(lines.get(i));
            if (!header.equals(List.of("Environment variable", "Property", "Default", "Meaning"))) {
                continue;
            }
            tables++;
            for (int j = i + 2; j < lines.size() && lines.get(j).startsWith("|"); j++) {
                List<String> cells = cells(lines.get(j));
                assertEquals(4, cells.size(), DOC + ":" + (j + 1) + " must have 4 cells: " + lines.get(j));
                Matcher property = CODE.matcher(cells.get(1));
                assertTrue(property.find() && property.start() == 0 && property.end() == cells.get(1).length(),
                        DOC + ":" + (j + 1) + " must name exactly one property, in backticks: " + cells.get(1));
                found.add(new Row(j + 1, cells.get(0), property.group(1), cells.get(2)));
            }
        }
        assertEquals(1, tables, DOC + " must have exactly one configuration table"
                + " (header: | Environment variable | Property | Default | Meaning |)");
        return found;
    }

    private static List<String> cells(String line) {
        String trimmed = line.strip();
        if (!trimmed.startsWith("|") || !trimmed.endsWith("|")) {
            return List.of();
        }
        List<String> cells = new ArrayList<>();
        for (String cell : trimmed.substring(1, trimmed.length() - 1).split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    /** A documented or read name with its map keys as {@code *}: {@code taskgate.llm.tiers.<tier>.model} → {@code taskgate.llm.tiers.*.model}. */
    static String normalize(String property) {
        return PLACEHOLDER.matcher(property).replaceAll("*");
    }

    /**
     * The environment variable of a property: upper case, every other character {@code _}
     * (so a quoted segment gets two); a placeholder stays a placeholder: {@code <tier>} → {@code <TIER>}.
     */
    static String environmentVariable(String property) {
        StringBuilder env = new StringBuilder();
        Matcher placeholder = Pattern.compile("<[^>]+>").matcher(property);
        int at = 0;
        while (placeholder.find()) {
            env.append(plain(property.substring(at, placeholder.start())))
                    .append(placeholder.group().toUpperCase(Locale.ROOT));
            at = placeholder.end();
        }
        return env.append(plain(property.substring(at))).toString();
    }

    private static String plain(String part) {
        return part.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
