package dev.meridian.engine.cluster.health;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.function.IntConsumer;

/**
 * Reads only the status line of an HTTP/1.x response ({@code HTTP/1.1 200 OK}, RFC 9112 §4) and
 * reports the status once: the probe needs nothing else, so headers and body are never parsed.
 * Reports -1 for anything that is not a status line within {@value #MAX_LINE} bytes, or when the
 * connection closes first.
 */
final class StatusLineHandler extends ChannelInboundHandlerAdapter {

    /** A status line longer than this is not one a health endpoint sends. */
    static final int MAX_LINE = 1024;

    private final IntConsumer onStatus;
    private final byte[] line = new byte[12];
    private int length;
    private int seen;
    private boolean reported;

    StatusLineHandler(IntConsumer onStatus) {
        this.onStatus = onStatus;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            while (!reported && buf.isReadable()) {
                byte b = buf.readByte();
                seen++;
                if (b == '\n') {
                    report(parse());
                } else if (length < line.length) {
                    line[length++] = b;
                } else if (seen > MAX_LINE) {
                    report(-1);
                }
            }
        } finally {
            buf.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        report(-1);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        report(-1);
        ctx.close();
    }

    /** {@code HTTP/1.x SSS} — the first 12 bytes decide; the reason phrase is ignored. */
    private int parse() {
        if (length < 12 || line[0] != 'H' || line[1] != 'T' || line[2] != 'T' || line[3] != 'P' || line[4] != '/'
                || line[5] != '1' || line[6] != '.' || line[8] != ' ') {
            return -1;
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            status = status * 10 + d;
        }
        return status;
    }

    private void report(int status) {
        if (!reported) {
            reported = true;
            onStatus.accept(status);
        }
    }
}
