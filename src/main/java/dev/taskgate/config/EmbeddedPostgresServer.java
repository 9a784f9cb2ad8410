package dev.taskgate.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jboss.logging.Logger;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A real PostgreSQL server run from bundled binaries, for the zero-configuration mode and tests. */
public final class EmbeddedPostgresServer implements Closeable {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL on a free local port. With {@code keepData} the data directory is reused
     * across starts, so tasks survive a restart.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, boolean keepData) {
        return start(dataDirectory, keepData, 0);
    }

    /** A local port that is free now, for a server whose address must be known before it starts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free local port for the embedded PostgreSQL", e);
        }
    }

    /** The JDBC URL of the server on {@code port} ({@link #jdbcUrl()} once it runs). */
    public static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** The reactive client's URL of the server on {@code port}. */
    public static String reactiveUrl(int port) {
        return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
    }

    /** Starts PostgreSQL on {@code port} (0: any free one). */
    public static EmbeddedPostgresServer start(Path dataDirectory, boolean keepData, int port) {
        try {
            Files.createDirectories(dataDirectory);
            stopOrphan(dataDirectory);
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(!keepData)
                    .setPort(port)
                    .setRegisterShutdownHook(false) // its owner stops it, after what uses it (EmbeddedPostgresLifecycle)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100")
                    .start();
            LOG.infof("Embedded PostgreSQL listening on 127.0.0.1:%d, data in %s", postgres.getPort(), dataDirectory);
            return new EmbeddedPostgresServer(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /**
     * A process that was killed (OOM, {@code kill -9}) leaves its PostgreSQL running on the data
     * directory, which would refuse a second server: stop it (a clean shutdown) before starting ours.
     */
    private static void stopOrphan(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try (var lines = Files.lines(pidFile)) {
            pid = Long.parseLong(lines.findFirst().orElse("").strip());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(process -> process.info().command().map(command -> command.contains("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        LOG.infof("Stopping the embedded PostgreSQL (pid %d) left running by a process that did not exit cleanly", pid);
        try {
            orphan.get().destroy(); // SIGTERM: the dead process's connections are gone, so it stops at once
            orphan.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping PostgreSQL pid " + pid, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("PostgreSQL pid " + pid + " left running on " + dataDirectory + " did not stop", e);
        }
    }

    public String jdbcUrl() {
        return jdbcUrl(postgres.getPort());
    }

    public String reactiveUrl() {
        return reactiveUrl(postgres.getPort());
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
