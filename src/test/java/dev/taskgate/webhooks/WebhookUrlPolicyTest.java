package dev.taskgate.webhooks;

import dev.taskgate.error.TaskgateException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The address policy as production runs it (http and private networks refused); plain JUnit, no DNS beyond literals and localhost. */
class WebhookUrlPolicyTest {

    private final WebhookUrlPolicy strict = new WebhookUrlPolicy(false, false);

    @ParameterizedTest
    @ValueSource(strings = {
            "https://127.0.0.1/hook", "https://localhost:8443/hook", "https://10.1.2.3/hook", "https://172.16.0.1/",
            "https://192.168.1.10/", "https://169.254.169.254/latest/meta-data/", "https://100.64.0.1/",
            "https://0.0.0.0/", "https://[::1]/", "https://[fd00:ec2::254]/", "https://[fe80::1]/",
            "https://[::ffff:127.0.0.1]/", "https://[64:ff9b::a9fe:a9fe]/", "https://224.0.0.1/", "https://255.255.255.255/"})
    void privateLoopbackLinkLocalAndMetadataAddressesAreRefused(String url) {
        TaskgateException refused = assertThrows(TaskgateException.class, () -> strict.checked("url", url));
        assertTrue(refused.getMessage().contains("allow-private-networks"), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/hook", "http://example.com/hook", "not a url", "https:///nohost",
            "https://user:pw@example.com/", "https://example.com/#frag", "/relative/path", "mailto:a@example.com", ""})
    void malformedOrNonHttpsUrlsAreRefused(String url) {
        assertThrows(TaskgateException.class, () -> strict.checked("url", url));
    }

    @Test
    void publicAddressesPass() {
        assertEquals("https://93.184.215.14/hook", strict.checked("url", "https://93.184.215.14/hook").toString());
        assertEquals("https://[2606:4700:4700::1111]/", strict.checked("url", "https://[2606:4700:4700::1111]/").toString());
    }

    @Test
    void theFlagsOpenHttpAndPrivateNetworks() {
        WebhookUrlPolicy open = new WebhookUrlPolicy(true, true);
        assertEquals("http://127.0.0.1:9/hook", open.checked("url", "http://127.0.0.1:9/hook").toString());
        assertThrows(TaskgateException.class, () -> open.checked("url", "ftp://127.0.0.1/"));
    }
}
