package dev.unitguard.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Sits right after Netty's HTTP decoder: a request of another version than HTTP/1.0 or HTTP/1.1 (which Vert.x would
 * answer with an empty 501) is answered 505 problem+json here, and the rest of the connection's input dropped until
 * it closes.
 */
final class HttpVersionGuard extends ChannelInboundHandlerAdapter {

    static final String NAME = "unitguard-http-version";
    /** The name of Vert.x' HTTP/1.x request decoder in a server channel's pipeline. */
    static final String DECODER = "httpDecoder";

    private boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()
                && !HttpVersion.HTTP_1_1.equals(request.protocolVersion())
                && !HttpVersion.HTTP_1_0.equals(request.protocolVersion())) {
            refused = true;
            ReferenceCountUtil.release(msg);
            byte[] body = JsonBodies.write(Problem.Kind.HTTP_VERSION_NOT_SUPPORTED.problem(
                    request.protocolVersion().text() + " is not supported; use HTTP/1.1"))
                    .getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, ErrorMapper.PROBLEM_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length).set(HttpHeaderNames.CONNECTION, "close");
            ctx.channel().writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
