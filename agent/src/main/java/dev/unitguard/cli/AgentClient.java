package dev.unitguard.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A minimal HTTP/1.1 client for the local agent's Unix socket (the JDK HttpClient cannot use one; the JDK's own
 * Unix-domain SocketChannel can, so no extra dependency): one request per connection, {@code Connection: close}, the
 * answer read to the end. An agent that cannot be reached is an {@link Unreachable}.
 */
final class AgentClient {

    static final Path DEFAULT_SOCKET = Path.of("/run/unitguard/agent.sock");

    /** The agent's answer: status, headers (names lower-case) and body. */
    record Response(int status, Map<String, String> headers, String body) {
    }

    /** No agent listening at the socket (missing, refused, or it closed without answering). */
    static final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreachable(Path socket, String why) {
            super("agent unreachable at " + socket + ": " + why);
        }
    }

    private final Path socket;

    AgentClient(Path socket) {
        this.socket = socket;
    }

    Response send(String method, String path, Optional<String> jsonBody, Map<String, String> extraHeaders)
            throws Unreachable {
        if (!Files.exists(socket)) {
            throw new Unreachable(socket, "no such socket (is unitguard-agent running?)");
        }
        byte[] body = jsonBody.orElse("").getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nUser-Agent: unitguard-cli\r\nAccept: application/json\r\n")
                .append("Connection: close\r\n");
        if (jsonBody.isPresent()) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        extraHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            write(channel, head.toString().getBytes(StandardCharsets.US_ASCII));
            write(channel, body);
            return parse(readAll(channel));
        } catch (IOException e) {
            throw new Unreachable(socket, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static void write(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static byte[] readAll(SocketChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return out.toByteArray();
    }

    static Response parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException(raw.length == 0 ? "the agent closed the connection without answering"
                    : "incomplete HTTP answer");
        }
        String[] lines = text.substring(0, end).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + lines[0]);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            body = java.util.Arrays.copyOf(body, Math.min(length, body.length));
        }
        return new Response(Integer.parseInt(status[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] unchunk(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int lineEnd = indexOfCrLf(body, pos);
            if (lineEnd < 0) {
                throw new IOException("truncated chunked body");
            }
            String size = new String(body, pos, lineEnd - pos, StandardCharsets.US_ASCII).split(";")[0].trim();
            int length = Integer.parseInt(size, 16);
            if (length == 0) {
                return out.toByteArray();
            }
            out.write(body, lineEnd + 2, length);
            pos = lineEnd + 2 + length + 2;
        }
    }

    private static int indexOfCrLf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** A unit name as one path segment: unreserved characters and {@code @ :} as they are, the rest %-encoded. */
    static String segment(String unit) {
        StringBuilder out = new StringBuilder();
        for (byte b : unit.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || "-._~@:".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
