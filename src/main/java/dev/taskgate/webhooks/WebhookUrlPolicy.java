package dev.taskgate.webhooks;

import dev.taskgate.config.TaskgateConfig;
import dev.taskgate.error.TaskgateException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where webhooks may go: absolute {@code https} URLs ({@code http} only with
 * {@code taskgate.webhooks.allow-http}), without credentials or fragment, whose host resolves only
 * to public addresses — not loopback, private, link-local (which includes the cloud metadata
 * address 169.254.169.254), unique-local IPv6 (fc00::/7, e.g. fd00:ec2::254), carrier-grade NAT,
 * multicast or reserved ones — unless {@code taskgate.webhooks.allow-private-networks}. A URL is
 * checked when it is given and its host again before every send, because a name can be made to
 * resolve elsewhere later (DNS rebinding).
 */
@ApplicationScoped
public class WebhookUrlPolicy {

    static final int MAX_URL_CHARS = 2048;

    private final boolean allowHttp;
    private final boolean allowPrivateNetworks;

    @Inject
    public WebhookUrlPolicy(TaskgateConfig.Webhooks config) {
        this(config.allowHttp(), config.allowPrivateNetworks());
    }

    WebhookUrlPolicy(boolean allowHttp, boolean allowPrivateNetworks) {
        this.allowHttp = allowHttp;
        this.allowPrivateNetworks = allowPrivateNetworks;
    }

    /** The URL, parsed, if webhooks may go there now; INVALID_ARGUMENT with the reason otherwise. */
    public URI checked(String field, String url) {
        URI uri = parsed(field, url);
        refusal(uri).ifPresent(reason -> {
            throw TaskgateException.invalid(field + " " + reason);
        });
        return uri;
    }

    /** Why a send to the (well-formed) URL must not happen now; empty when it may. */
    public Optional<String> refusal(URI uri) {
        if (allowPrivateNetworks) {
            return Optional.empty();
        }
        String host = uri.getHost();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.of("host " + host + " cannot be resolved");
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                return Optional.of("resolves to a loopback, private, link-local or reserved address ("
                        + address.getHostAddress() + "); such addresses are refused unless"
                        + " taskgate.webhooks.allow-private-networks=true");
            }
        }
        return Optional.empty();
    }

    private URI parsed(String field, String url) {
        if (url == null || url.isBlank()) {
            throw TaskgateException.invalid(field + " is required");
        }
        if (url.length() > MAX_URL_CHARS) {
            throw TaskgateException.invalid(field + " is longer than " + MAX_URL_CHARS + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw TaskgateException.invalid(field + " is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.isOpaque() || !(scheme.equals("https") || scheme.equals("http"))) {
            throw TaskgateException.invalid(field + " must be an absolute " + (allowHttp ? "http or https" : "https")
                    + " URL");
        }
        if (scheme.equals("http") && !allowHttp) {
            throw TaskgateException.invalid(field + " must use https (http is refused unless"
                    + " taskgate.webhooks.allow-http=true)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw TaskgateException.invalid(field + " has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw TaskgateException.invalid(field + " must not contain credentials");
        }
        if (uri.getRawFragment() != null) {
            throw TaskgateException.invalid(field + " must not contain a fragment");
        }
        return uri;
    }

    /** Whether an address is on the public internet (neither local, private nor reserved). */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0                                        // 0.0.0.0/8 "this network"
                    && !(first == 100 && second >= 64 && second < 128) // 100.64.0.0/10 carrier-grade NAT
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // 192.0.0.0/24 protocol assignments
                    && !(first == 198 && (second == 18 || second == 19))    // 198.18.0.0/15 benchmarking
                    && first < 240;                                  // 240.0.0.0/4 reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {                            // fc00::/7 unique local (fd00::/8 included)
                return false;
            }
            if (isEmbeddedIpv4(b)) {                                 // ::ffff:a.b.c.d, NAT64 64:ff9b::/96, ::a.b.c.d
                try {
                    return isPublic(InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean isEmbeddedIpv4(byte[] b) {
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        boolean mapped = zeroPrefix && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff));
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0 && b[8] == 0 && b[9] == 0 && b[10] == 0 && b[11] == 0;
        return mapped || nat64;
    }
}
