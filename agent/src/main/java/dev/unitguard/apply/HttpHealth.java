package dev.unitguard.apply;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@code health.http}: one HTTP/1.1 GET to a loopback address, 2xx is healthy. The host is resolved once and the
 * connection goes to that address, which must be a loopback one (no DNS rebinding); redirects are not followed; only
 * the status line is read (at most {@value #MAX_STATUS_LINE} bytes). HTTPS verifies the certificate against the
 * host as the URL names it.
 */
final class HttpHealth {

    static final int MAX_STATUS_LINE = 8192;
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: .*)?");

    private HttpHealth() {
    }

    static Optional<String> get(Health.Http http, Duration timeout) {
        String what = "GET " + http.url();
        InetAddress address;
        try {
            address = resolve(http.url().getHost());
        } catch (IOException e) {
            return Optional.of(what + " failed: " + e.getMessage());
        }
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, http.port()), millis);
            socket.setSoTimeout(millis);
            Socket channel = http.url().getScheme().equals("https") ? tls(socket, http) : socket;
            send(channel.getOutputStream(), http);
            int status = status(new java.io.BufferedInputStream(channel.getInputStream()));
            if (status / 100 == 2) {
                return Optional.empty();
            }
            return Optional.of(what + " answered " + status + (status / 100 == 3 ? " (redirects are not followed)" : ""));
        } catch (IOException e) {
            return Optional.of(what + " failed: " + e.getMessage());
        }
    }

    /** The one address the check connects to: the literal itself, or the first loopback address of localhost. */
    static InetAddress resolve(String host) throws IOException {
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] all = InetAddress.getAllByName(literal);
        return Arrays.stream(all).filter(InetAddress::isLoopbackAddress).findFirst()
                .orElseThrow(() -> new IOException(host + " resolves to no loopback address: " + Arrays.toString(all)));
    }

    private static Socket tls(Socket plain, Health.Http http) throws IOException {
        String host = http.url().getHost();
        SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(plain, host.startsWith("[") ? host.substring(1, host.length() - 1) : host,
                        http.port(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }

    private static void send(OutputStream out, Health.Http http) throws IOException {
        String path = http.url().getRawPath() == null || http.url().getRawPath().isEmpty() ? "/"
                : http.url().getRawPath();
        String query = http.url().getRawQuery() == null ? "" : "?" + http.url().getRawQuery();
        String host = http.url().getHost() + (http.url().getPort() == -1 ? "" : ":" + http.url().getPort());
        out.write(("GET " + path + query + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: unitguard-health\r\n"
                + "Accept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The status code of the answer's first line. */
    static int status(InputStream in) throws IOException {
        byte[] line = new byte[MAX_STATUS_LINE];
        int n = 0;
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (n == line.length) {
                throw new IOException("status line longer than " + MAX_STATUS_LINE + " bytes");
            }
            line[n++] = (byte) b;
        }
        String text = new String(line, 0, n, StandardCharsets.ISO_8859_1).strip();
        Matcher m = STATUS.matcher(text);
        if (!m.matches()) {
            throw new IOException(n == 0 && b == -1 ? "no answer" : "not an HTTP/1.x status line");
        }
        return Integer.parseInt(m.group(1));
    }
}
