package cn.chuanyu.evidence.web;

/** A Range none of whose bytes exist: 416 with {@code Content-Range: bytes *&#47;<size>}. */
public class RangeNotSatisfiableException extends RuntimeException {

    private final long size;

    public RangeNotSatisfiableException(String range, long size) {
        super("Range '" + range + "' asks for no byte of this " + size + "-byte item");
        this.size = size;
    }

    public long size() {
        return size;
    }
}
