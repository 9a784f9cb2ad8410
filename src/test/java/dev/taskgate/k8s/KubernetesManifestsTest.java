package dev.taskgate.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Parses every YAML file under {@code k8s/} and checks the manifests against what the application
 * really serves and reads: health probe paths and ports, the HTTP port from application.properties,
 * environment variable names against application.properties and {@code TaskgateConfig}, the two
 * roles, labels, the security context, and the image's user from the JVM Dockerfile.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path K8S = ROOT.resolve("k8s");
    private static final Path PROPERTIES = ROOT.resolve("src/main/resources/application.properties");
    private static final Path CONFIG_SOURCE = ROOT.resolve("src/main/java/dev/taskgate/config/TaskgateConfig.java");
    private static final Path DOCKERFILE = ROOT.resolve("src/main/docker/Dockerfile.jvm");
    private static final Path SECRET_TEMPLATE = K8S.resolve("secret.example.yaml");

    private static final Map<String, String> PROBES = Map.of(
            "startupProbe", "/q/health/started",
            "livenessProbe", "/q/health/live",
            "readinessProbe", "/q/health/ready");

    /** Quarkus runtime settings the manifests may set although application.properties does not. */
    private static final Set<String> KNOWN_QUARKUS_KEYS = Set.of(
            "quarkus.datasource.jdbc.url",
            "quarkus.datasource.username",
            "quarkus.datasource.password",
            "quarkus.log.console.json.enabled", // quarkus-logging-json (quarkus.log.console.json is deprecated since 3.19)
            "quarkus.http.port");

    /**
     * taskgate.* keys being added to TaskgateConfig in the same change (issue 6). Listed so the
     * manifests can name them before the code lands; the parsed interface is the main source.
     */
    private static final Set<String> PENDING_TASKGATE_KEYS = Set.of(
            "taskgate.role",
            "taskgate.admin-token",
            "taskgate.retention.max-age",
            "taskgate.llm.openai.api-key",
            "taskgate.llm.anthropic.api-key");

    /** JVM variables read by the JVM itself or by the base image's run-java.sh. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JAVA_OPTS_APPEND");

    /** The application's graceful shutdown timeout when application.properties does not set one (issue 6). */
    private static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private static final List<String> REQUIRED_LABELS = List.of(
            "app.kubernetes.io/name", "app.kubernetes.io/part-of");
    private static final List<String> EXPECTED_LABELS = List.of(
            "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/part-of",
            "app.kubernetes.io/version");
    private static final String COMPONENT = "app.kubernetes.io/component";

    record Doc(Path file, JsonNode node, boolean patch) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return kind() + "/" + name() + " (" + ROOT.relativize(file) + ")";
        }
    }

    private static List<Doc> docs;
    private static Properties properties;
    private static int httpPort;
    private static Set<String> taskgateKeys;

    @BeforeAll
    static void load() throws IOException {
        properties = new Properties();
        try (Reader reader = Files.newBufferedReader(PROPERTIES)) {
            properties.load(reader);
        }
        httpPort = Integer.parseInt(properties.getProperty("quarkus.http.port", "8080").trim());
        taskgateKeys = new TreeSet<>(TaskgateConfigKeys.parse(Files.readString(CONFIG_SOURCE)));
        taskgateKeys.addAll(PENDING_TASKGATE_KEYS);

        List<Path> files;
        try (Stream<Path> walk = Files.walk(K8S)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        }
        assertFalse(files.isEmpty(), "no YAML under " + K8S);

        YAMLMapper mapper = new YAMLMapper();
        Map<Path, List<JsonNode>> parsed = new LinkedHashMap<>();
        for (Path file : files) {
            List<JsonNode> nodes = new ArrayList<>();
            try (MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(file.toFile())) {
                while (it.hasNext()) {
                    JsonNode node = it.next();
                    if (node != null && !node.isNull() && !node.isMissingNode() && !node.isEmpty()) {
                        nodes.add(node);
                    }
                }
            }
            parsed.put(file, nodes);
        }

        // Files named as patches by a kustomization are partial objects.
        Set<Path> patchFiles = new HashSet<>();
        for (var e : parsed.entrySet()) {
            for (JsonNode node : e.getValue()) {
                if ("Kustomization".equals(node.path("kind").asText())) {
                    Path dir = e.getKey().getParent();
                    for (JsonNode p : node.path("patches")) {
                        if (p.hasNonNull("path")) {
                            patchFiles.add(dir.resolve(p.get("path").asText()).normalize());
                        }
                    }
                    for (JsonNode p : node.path("patchesStrategicMerge")) {
                        patchFiles.add(dir.resolve(p.asText()).normalize());
                    }
                }
            }
        }
        docs = new ArrayList<>();
        parsed.forEach((file, nodes) -> nodes.forEach(n -> docs.add(new Doc(file, n, patchFiles.contains(file.normalize())))));
    }

    private static List<Doc> objects(String kind) {
        return docs.stream().filter(d -> !d.patch() && d.kind().equals(kind)).toList();
    }

    private static List<Doc> deployments() {
        List<Doc> list = objects("Deployment");
        assertFalse(list.isEmpty(), "no Deployment under k8s/");
        return list;
    }

    private static Iterable<JsonNode> containers(JsonNode workload) {
        return workload.path("spec").path("template").path("spec").path("containers");
    }

    // ---- files and kustomizations ----

    @Test
    void everyManifestBelongsToAKustomizationExceptTheSecretTemplate() {
        Set<Path> referenced = new HashSet<>();
        for (Doc d : docs) {
            if (!d.kind().equals("Kustomization")) {
                continue;
            }
            Path dir = d.file().getParent();
            for (JsonNode r : d.node().path("resources")) {
                Path target = dir.resolve(r.asText()).normalize();
                assertTrue(Files.exists(target), d + " lists a missing resource " + r.asText());
                assertFalse(target.equals(SECRET_TEMPLATE), d + " must not apply the Secret template");
                referenced.add(target);
            }
            for (JsonNode p : d.node().path("patches")) {
                if (p.hasNonNull("path")) {
                    Path target = dir.resolve(p.get("path").asText()).normalize();
                    assertTrue(Files.exists(target), d + " lists a missing patch " + target);
                    referenced.add(target);
                }
            }
        }
        for (Doc d : docs) {
            if (d.kind().equals("Kustomization") || d.file().equals(SECRET_TEMPLATE)) {
                continue;
            }
            assertTrue(referenced.contains(d.file().normalize()),
                    d + " is not listed in any kustomization.yaml (resources or patches)");
        }
        assertTrue(docs.stream().anyMatch(d -> d.file().equals(SECRET_TEMPLATE) && d.kind().equals("Secret")),
                "k8s/secret.example.yaml must hold the Secret template");
    }

    @Test
    void everyObjectCarriesTheAppLabels() {
        for (Doc d : docs) {
            if (d.patch() || d.kind().equals("Kustomization")) {
                continue;
            }
            JsonNode labels = d.node().path("metadata").path("labels");
            for (String label : REQUIRED_LABELS) {
                assertEquals("taskgate", labels.path(label).asText(null), d + ": label " + label);
            }
            for (String label : EXPECTED_LABELS) {
                // The Secret is created by the operator from the template, outside any release.
                if (!(label.equals("app.kubernetes.io/version") && d.file().equals(SECRET_TEMPLATE))) {
                    assertFalse(labels.path(label).asText("").isBlank(), d + ": label " + label);
                }
            }
        }
        // Objects that belong to one role say which.
        for (String kind : List.of("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget")) {
            for (Doc d : objects(kind)) {
                String component = d.node().path("metadata").path("labels").path(COMPONENT).asText("");
                assertTrue(Set.of("api", "worker").contains(component), d + ": " + COMPONENT + " is '" + component + "'");
            }
        }
        for (Doc d : deployments()) {
            JsonNode template = d.node().path("spec").path("template").path("metadata").path("labels");
            JsonNode selector = d.node().path("spec").path("selector").path("matchLabels");
            for (String label : EXPECTED_LABELS) {
                assertFalse(template.path(label).asText("").isBlank(), d + ": pod template label " + label);
            }
            assertEquals(d.node().path("metadata").path("labels").path(COMPONENT), template.path(COMPONENT),
                    d + ": pod template component");
            selector.fields().forEachRemaining(e -> assertEquals(e.getValue(), template.path(e.getKey()),
                    d + ": selector " + e.getKey() + " must match the pod template"));
        }
    }

    // ---- roles ----

    @Test
    void apiAndWorkerRolesAreSeparateDeployments() {
        Map<String, Doc> byRole = new HashMap<>();
        for (Doc d : deployments()) {
            for (JsonNode c : containers(d.node())) {
                Optional<JsonNode> role = envVar(c, "TASKGATE_ROLE");
                assertTrue(role.isPresent(), d + ": container " + c.path("name").asText() + " sets no TASKGATE_ROLE");
                String value = role.get().path("value").asText();
                assertTrue(Set.of("api", "worker").contains(value), d + ": TASKGATE_ROLE=" + value);
                assertEquals(value, d.node().path("metadata").path("labels").path(COMPONENT).asText(),
                        d + ": component label must match TASKGATE_ROLE");
                assertTrue(byRole.put(value, d) == null, "two Deployments with TASKGATE_ROLE=" + value);
            }
        }
        assertEquals(Set.of("api", "worker"), byRole.keySet());
        String apiImage = containers(byRole.get("api").node()).iterator().next().path("image").asText();
        String workerImage = containers(byRole.get("worker").node()).iterator().next().path("image").asText();
        assertEquals(apiImage, workerImage, "both roles run the same image");
    }

    private static Optional<JsonNode> envVar(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    // ---- ports and probes ----

    @Test
    void containerPortIsTheApplicationsHttpPort() throws IOException {
        for (Doc d : deployments()) {
            for (JsonNode c : containers(d.node())) {
                boolean found = false;
                for (JsonNode p : c.path("ports")) {
                    if (p.path("containerPort").asInt() == httpPort) {
                        found = true;
                        assertEquals("http", p.path("name").asText(), d + ": port " + httpPort + " is named http");
                    }
                }
                assertTrue(found, d + ": no containerPort " + httpPort + " (quarkus.http.port)");
                envVar(c, "QUARKUS_HTTP_PORT").ifPresent(e -> assertEquals(String.valueOf(httpPort),
                        e.path("value").asText(), d + ": QUARKUS_HTTP_PORT differs from the containerPort"));
            }
        }
        String dockerfile = Files.readString(DOCKERFILE);
        Matcher expose = Pattern.compile("(?m)^EXPOSE\\s+(\\d+)").matcher(dockerfile);
        assertTrue(expose.find(), "Dockerfile.jvm has no EXPOSE");
        assertEquals(httpPort, Integer.parseInt(expose.group(1)), "Dockerfile.jvm EXPOSE");
    }

    @Test
    void probesUseTheHealthEndpointsOnADeclaredPort() {
        for (Doc d : docs) {
            if (!d.kind().equals("Deployment")) {
                continue;
            }
            for (JsonNode c : containers(d.node())) {
                Set<String> portNames = new HashSet<>();
                Set<Integer> portNumbers = new HashSet<>();
                for (JsonNode p : c.path("ports")) {
                    if (p.hasNonNull("name")) {
                        portNames.add(p.get("name").asText());
                    }
                    portNumbers.add(p.path("containerPort").asInt());
                }
                for (var probe : PROBES.entrySet()) {
                    JsonNode node = c.path(probe.getKey());
                    if (d.patch() && node.isMissingNode()) {
                        continue;
                    }
                    JsonNode httpGet = node.path("httpGet");
                    assertFalse(httpGet.isMissingNode(), d + ": " + probe.getKey() + " must be an httpGet probe");
                    assertEquals(probe.getValue(), httpGet.path("path").asText(), d + ": " + probe.getKey() + " path");
                    JsonNode port = httpGet.path("port");
                    if (d.patch() && portNames.isEmpty() && portNumbers.isEmpty()) {
                        continue;
                    }
                    if (port.isInt()) {
                        assertTrue(portNumbers.contains(port.asInt()) && port.asInt() == httpPort,
                                d + ": " + probe.getKey() + " port " + port + " is not the http containerPort");
                    } else {
                        assertTrue(portNames.contains(port.asText()),
                                d + ": " + probe.getKey() + " port '" + port.asText() + "' names no containerPort");
                        assertEquals(httpPort, portNumber(c, port.asText()), d + ": " + probe.getKey() + " port");
                    }
                }
            }
        }
    }

    private static int portNumber(JsonNode container, String name) {
        for (JsonNode p : container.path("ports")) {
            if (name.equals(p.path("name").asText())) {
                return p.path("containerPort").asInt();
            }
        }
        return -1;
    }

    @Test
    void serviceSelectsTheApiPodsOnTheHttpPort() {
        List<Doc> services = objects("Service");
        assertEquals(1, services.size(), "one Service (the API)");
        Doc service = services.get(0);
        JsonNode selector = service.node().path("spec").path("selector");
        List<Doc> selected = deployments().stream().filter(d -> {
            JsonNode labels = d.node().path("spec").path("template").path("metadata").path("labels");
            Iterator<Map.Entry<String, JsonNode>> it = selector.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (!e.getValue().equals(labels.path(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }).toList();
        assertEquals(1, selected.size(), service + " must select exactly one Deployment: " + selected);
        Doc api = selected.get(0);
        assertEquals("api", api.node().path("metadata").path("labels").path(COMPONENT).asText(), service + " selects the api pods");

        JsonNode ports = service.node().path("spec").path("ports");
        assertEquals(1, ports.size(), service + ": one port for HTTP and gRPC");
        JsonNode port = ports.get(0);
        assertEquals("http", port.path("name").asText(), service + ": port name");
        JsonNode target = port.path("targetPort");
        JsonNode container = containers(api.node()).iterator().next();
        int targetNumber = target.isInt() ? target.asInt() : portNumber(container, target.asText());
        assertEquals(httpPort, targetNumber, service + ": targetPort " + target + " must be the http containerPort");
    }

    // ---- environment variable names ----

    @Test
    void everyEnvironmentVariableIsASettingTheApplicationReads() {
        Set<String> quarkusEnv = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            quarkusEnv.add(toEnv(key.replaceFirst("^%[^.]+\\.", "")));
        }
        KNOWN_QUARKUS_KEYS.forEach(k -> quarkusEnv.add(toEnv(k)));
        List<Pattern> taskgateEnv = taskgateKeys.stream().map(KubernetesManifestsTest::envPattern).toList();

        Map<String, String> names = new LinkedHashMap<>();   // env name -> where
        for (Doc d : docs) {
            switch (d.kind()) {
                case "Deployment" -> {
                    for (JsonNode c : containers(d.node())) {
                        c.path("env").forEach(e -> names.put(e.path("name").asText(), d.toString()));
                    }
                }
                case "ConfigMap" -> d.node().path("data").fieldNames().forEachRemaining(n -> names.put(n, d.toString()));
                case "Secret" -> {
                    d.node().path("stringData").fieldNames().forEachRemaining(n -> names.put(n, d.toString()));
                    d.node().path("data").fieldNames().forEachRemaining(n -> names.put(n, d.toString()));
                }
                default -> { }
            }
        }
        assertFalse(names.isEmpty());
        List<String> unknown = new ArrayList<>();
        names.forEach((name, where) -> {
            boolean known;
            if (JVM_VARIABLES.contains(name)) {
                known = true;
            } else if (name.startsWith("QUARKUS_")) {
                known = quarkusEnv.contains(name);
            } else if (name.startsWith("TASKGATE_")) {
                known = taskgateEnv.stream().anyMatch(p -> p.matcher(name).matches());
            } else {
                known = false;
            }
            if (!known) {
                unknown.add(name + " in " + where);
            }
        });
        assertTrue(unknown.isEmpty(), "environment variables the application does not read: " + unknown
                + "\nknown taskgate keys: " + taskgateKeys);
    }

    @Test
    void configMapAndSecretReferencesResolve() {
        Set<String> configMaps = objects("ConfigMap").stream().map(Doc::name).collect(Collectors.toSet());
        Map<String, Set<String>> secretKeys = new HashMap<>();
        for (Doc d : docs) {
            if (d.kind().equals("Secret") && !d.patch()) {
                Set<String> keys = new HashSet<>();
                d.node().path("stringData").fieldNames().forEachRemaining(keys::add);
                d.node().path("data").fieldNames().forEachRemaining(keys::add);
                secretKeys.put(d.name(), keys);
            }
        }
        for (Doc d : deployments()) {
            for (JsonNode c : containers(d.node())) {
                for (JsonNode from : c.path("envFrom")) {
                    if (from.has("configMapRef")) {
                        assertTrue(configMaps.contains(from.path("configMapRef").path("name").asText()), d + ": envFrom " + from);
                    }
                    if (from.has("secretRef")) {
                        assertTrue(secretKeys.containsKey(from.path("secretRef").path("name").asText()), d + ": envFrom " + from);
                    }
                }
                for (JsonNode e : c.path("env")) {
                    JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                    if (!ref.isMissingNode()) {
                        Set<String> keys = secretKeys.get(ref.path("name").asText());
                        assertNotNull(keys, d + ": " + e.path("name").asText() + " reads unknown Secret " + ref.path("name"));
                        assertTrue(keys.contains(ref.path("key").asText()),
                                d + ": " + e.path("name").asText() + " reads key " + ref.path("key") + " missing from the Secret template");
                        assertEquals(e.path("name").asText(), ref.path("key").asText(), d + ": Secret key and variable name differ");
                    }
                }
            }
        }
    }

    // ---- security, shutdown, resources ----

    @Test
    void podsRunAsTheImagesNonRootUserWithAReadOnlyRootFilesystem() throws IOException {
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\d+)\\s*$").matcher(Files.readString(DOCKERFILE));
        int imageUser = -1;
        while (user.find()) {
            imageUser = Integer.parseInt(user.group(1));     // the last USER wins
        }
        assertTrue(imageUser > 0, "Dockerfile.jvm must end with a numeric non-root USER");
        for (Doc d : deployments()) {
            JsonNode pod = d.node().path("spec").path("template").path("spec");
            Set<String> emptyDirs = new HashSet<>();
            for (JsonNode v : pod.path("volumes")) {
                if (v.has("emptyDir")) {
                    emptyDirs.add(v.path("name").asText());
                }
            }
            for (JsonNode c : containers(d.node())) {
                JsonNode csc = c.path("securityContext");
                JsonNode psc = pod.path("securityContext");
                assertTrue(csc.path("runAsNonRoot").asBoolean(false) || psc.path("runAsNonRoot").asBoolean(false),
                        d + ": runAsNonRoot");
                assertTrue(csc.path("readOnlyRootFilesystem").asBoolean(false), d + ": readOnlyRootFilesystem");
                assertFalse(csc.path("allowPrivilegeEscalation").asBoolean(true), d + ": allowPrivilegeEscalation");
                int runAsUser = csc.path("runAsUser").asInt(psc.path("runAsUser").asInt(-1));
                assertEquals(imageUser, runAsUser, d + ": runAsUser must be the image's USER");
                boolean tmp = false;
                for (JsonNode m : c.path("volumeMounts")) {
                    tmp |= m.path("mountPath").asText().equals("/tmp") && emptyDirs.contains(m.path("name").asText());
                }
                assertTrue(tmp, d + ": /tmp must be an emptyDir");
                for (String kind : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertFalse(c.path("resources").path(kind).path(resource).asText("").isBlank(),
                                d + ": resources." + kind + "." + resource);
                    }
                }
            }
        }
    }

    @Test
    void terminationGracePeriodOutlastsTheShutdownTimeout() {
        Duration shutdown = Optional.ofNullable(properties.getProperty("quarkus.shutdown.timeout"))
                .map(String::trim).map(KubernetesManifestsTest::duration).orElse(DEFAULT_SHUTDOWN_TIMEOUT);
        for (Doc d : deployments()) {
            JsonNode pod = d.node().path("spec").path("template").path("spec");
            assertTrue(pod.has("terminationGracePeriodSeconds"), d + ": terminationGracePeriodSeconds");
            long grace = pod.path("terminationGracePeriodSeconds").asLong();
            for (JsonNode c : pod.path("containers")) {
                JsonNode command = c.path("lifecycle").path("preStop").path("exec").path("command");
                long preStop = 0;
                if (command.size() == 2 && command.get(0).asText().equals("sleep")) {
                    preStop = Long.parseLong(command.get(1).asText());
                }
                assertTrue(grace > shutdown.toSeconds() + preStop, d + ": terminationGracePeriodSeconds " + grace
                        + " must exceed quarkus.shutdown.timeout " + shutdown + " plus preStop " + preStop + "s");
            }
        }
    }

    @Test
    void eachRoleHasAnAutoscalerAndADisruptionBudget() {
        for (Doc d : deployments()) {
            JsonNode podLabels = d.node().path("spec").path("template").path("metadata").path("labels");
            boolean hpa = objects("HorizontalPodAutoscaler").stream().anyMatch(h ->
                    h.node().path("apiVersion").asText().equals("autoscaling/v2")
                            && h.node().path("spec").path("scaleTargetRef").path("kind").asText().equals("Deployment")
                            && h.node().path("spec").path("scaleTargetRef").path("name").asText().equals(d.name())
                            && h.node().path("spec").path("metrics").findValuesAsText("name").contains("cpu"));
            assertTrue(hpa, d + " has no autoscaling/v2 CPU HorizontalPodAutoscaler");
            boolean pdb = objects("PodDisruptionBudget").stream().anyMatch(p -> {
                JsonNode match = p.node().path("spec").path("selector").path("matchLabels");
                Iterator<Map.Entry<String, JsonNode>> it = match.fields();
                boolean all = it.hasNext();
                while (it.hasNext()) {
                    var e = it.next();
                    all &= e.getValue().equals(podLabels.path(e.getKey()));
                }
                return all && match.has(COMPONENT);
            });
            assertTrue(pdb, d + " has no PodDisruptionBudget selecting its pods by component");
        }
    }

    @Test
    void networkPolicyAdmitsOnlyTheHttpPort() {
        List<Doc> policies = objects("NetworkPolicy");
        assertFalse(policies.isEmpty(), "no NetworkPolicy");
        for (Doc d : policies) {
            JsonNode ingress = d.node().path("spec").path("ingress");
            assertFalse(ingress.isEmpty(), d + ": no ingress rule (the API would be unreachable)");
            for (JsonNode rule : ingress) {
                assertFalse(rule.path("ports").isEmpty(), d + ": an ingress rule without ports opens every port");
                for (JsonNode p : rule.path("ports")) {
                    JsonNode port = p.path("port");
                    assertTrue(port.asInt() == httpPort || port.asText().equals("http"), d + ": ingress port " + port);
                }
            }
            Set<Integer> egress = new TreeSet<>();
            d.node().path("spec").path("egress").forEach(r -> r.path("ports").forEach(p -> egress.add(p.path("port").asInt())));
            assertTrue(egress.containsAll(Set.of(5432, 7233, 53, 443)), d + ": egress ports " + egress);
        }
    }

    // ---- helpers ----

    /** MicroProfile Config's environment variable form: non-alphanumerics become '_', upper case. */
    static String toEnv(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static Pattern envPattern(String key) {
        StringBuilder regex = new StringBuilder();
        for (String part : key.split("(?=\\*)|(?<=\\*)")) {
            regex.append(part.equals("*") ? "[A-Z0-9_]+" : Pattern.quote(toEnv(part)));
        }
        return Pattern.compile(regex.toString());
    }

    private static Duration duration(String value) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE).matcher(value);
        if (!m.matches()) {
            return Duration.parse(value.startsWith("P") || value.startsWith("p") ? value : "PT" + value);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    @Test
    void configKeyParserFindsTheKnownKeys() throws IOException {
        Set<String> parsed = TaskgateConfigKeys.parse(Files.readString(CONFIG_SOURCE));
        // Keys that exist in TaskgateConfig today; if these are missing the parser is broken.
        for (String key : List.of("taskgate.api-keys", "taskgate.temporal.target", "taskgate.temporal.namespace",
                "taskgate.temporal.task-queue", "taskgate.tasks.max-query-bytes", "taskgate.llm.local.simulation")) {
            assertTrue(parsed.contains(key), "parser missed " + key + " in " + parsed);
        }
        assertFalse(parsed.contains("taskgate.tasks"), "groups are not keys: " + parsed);
        assertEquals(Set.of("taskgate.x.y", "taskgate.named", "taskgate.m.*.url", "taskgate.plain-value"),
                TaskgateConfigKeys.parse("""
                        @ConfigMapping(prefix = "taskgate")
                        public interface C {
                            /** { braces "in" a comment } */
                            X x();
                            @WithName("named")
                            @WithDefault("http://host/{x}")
                            String somethingElse();
                            Map<String, M> m();
                            @WithDefault("a;b") String plainValue();
                            enum E { A, B; public boolean b() { return true; } }
                            interface X { @WithDefault("1") int y(); default int z() { return 2; } }
                            interface M { String url(); }
                        }
                        """));
    }

    /**
     * Reads the config keys out of a {@code @ConfigMapping} interface's source: method names in
     * kebab-case (or {@code @WithName}), nested interfaces as groups, {@code Map<String, Group>} as
     * a {@code *} segment. Comments and string literals are skipped.
     */
    static final class TaskgateConfigKeys {

        record Method(String key, String type, boolean parentName) { }

        static Set<String> parse(String source) {
            List<String> strings = new ArrayList<>();
            String code = strip(source, strings);
            Matcher prefix = Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"(\\d+)\"").matcher(code);
            if (!prefix.find()) {
                fail("no @ConfigMapping(prefix = ...) in the config source");
            }
            String root = strings.get(Integer.parseInt(prefix.group(1)));

            Map<String, List<Method>> interfaces = new LinkedHashMap<>();
            Deque<String> stack = new ArrayDeque<>();  // interface name, or "" for any other block
            String top = null;
            StringBuilder statement = new StringBuilder();
            Pattern header = Pattern.compile("\\b(interface|class|enum|record)\\s+(\\w+)");
            for (int i = 0; i < code.length(); i++) {
                char ch = code.charAt(i);
                if (ch == '{') {
                    Matcher h = header.matcher(statement);
                    String name = "";
                    String kind = null;
                    while (h.find()) {
                        kind = h.group(1);
                        name = h.group(2);
                    }
                    if ("interface".equals(kind) && !statement.toString().contains("@interface")) {
                        interfaces.putIfAbsent(name, new ArrayList<>());
                        if (top == null) {
                            top = name;
                        }
                        stack.push(name);
                    } else {
                        stack.push("");
                    }
                    statement.setLength(0);
                } else if (ch == '}') {
                    if (!stack.isEmpty()) {
                        stack.pop();
                    }
                    statement.setLength(0);
                } else if (ch == ';') {
                    if (!stack.isEmpty() && !stack.peek().isEmpty()) {
                        method(statement.toString(), strings).ifPresent(m -> interfaces.get(stack.peek()).add(m));
                    }
                    statement.setLength(0);
                } else {
                    statement.append(ch);
                }
            }
            assertNotNull(top, "no interface in the config source");
            Set<String> keys = new TreeSet<>();
            collect(root, top, interfaces, keys, new HashSet<>());
            return keys;
        }

        private static void collect(String prefix, String type, Map<String, List<Method>> interfaces,
                Set<String> keys, Set<String> visiting) {
            if (!visiting.add(type)) {
                return;
            }
            for (Method m : interfaces.get(type)) {
                String key = m.parentName() ? prefix : prefix + "." + m.key();
                String t = m.type().replaceAll("\\s+", "");
                Matcher map = Pattern.compile("^Map<[^,]+,(.+)>$").matcher(t);
                if (map.matches()) {
                    key = key + ".*";
                    t = map.group(1);
                }
                Matcher optional = Pattern.compile("^Optional<(.+)>$").matcher(t);
                if (optional.matches()) {
                    t = optional.group(1);
                }
                if (interfaces.containsKey(t)) {
                    collect(key, t, interfaces, keys, visiting);
                } else {
                    keys.add(key);
                }
            }
            visiting.remove(type);
        }

        private static Optional<Method> method(String statement, List<String> strings) {
            String s = statement.trim();
            Matcher sig = Pattern.compile("([\\w.<>,?\\[\\]\\s]+?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*$").matcher(
                    s.replaceAll("@\\w+(\\s*\\([^)]*\\))?", " ").replaceAll("\\b(public|abstract)\\b", " "));
            if (!sig.find()) {
                return Optional.empty();
            }
            String name = sig.group(2);
            Matcher withName = Pattern.compile("@WithName\\s*\\(\\s*\"(\\d+)\"\\s*\\)").matcher(s);
            String key = withName.find() ? strings.get(Integer.parseInt(withName.group(1))) : kebab(name);
            return Optional.of(new Method(key, sig.group(1).trim(), s.contains("@WithParentName")));
        }

        static String kebab(String camel) {
            return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        }

        /** Drops comments and replaces each string literal by {@code "<index>"}. */
        private static String strip(String source, List<String> strings) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < source.length()) {
                char c = source.charAt(i);
                if (source.startsWith("//", i)) {
                    int end = source.indexOf('\n', i);
                    i = end < 0 ? source.length() : end;
                } else if (source.startsWith("/*", i)) {
                    int end = source.indexOf("*/", i + 2);
                    i = end < 0 ? source.length() : end + 2;
                    out.append(' ');
                } else if (source.startsWith("\"\"\"", i)) {
                    int end = source.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? source.length() : end;
                    strings.add(source.substring(Math.min(i + 3, end), end));
                    out.append('"').append(strings.size() - 1).append('"');
                    i = Math.min(source.length(), end + 3);
                } else if (c == '"' || c == '\'') {
                    StringBuilder literal = new StringBuilder();
                    int j = i + 1;
                    while (j < source.length() && source.charAt(j) != c) {
                        if (source.charAt(j) == '\\' && j + 1 < source.length()) {
                            j++;
                        }
                        literal.append(source.charAt(j));
                        j++;
                    }
                    if (c == '"') {
                        strings.add(literal.toString());
                        out.append('"').append(strings.size() - 1).append('"');
                    } else {
                        out.append("' '");
                    }
                    i = j + 1;
                } else {
                    out.append(c);
                    i++;
                }
            }
            return out.toString();
        }
    }
}
