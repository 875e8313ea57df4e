package dev.hungarian4j.djl;

/**
 * How the boxes of DJL detection labels are written. DJL's own datasets disagree (the Banana set stores
 * normalized corners, COCO top-left {@code x, y, w, h} in pixels), so the adapter takes the format explicitly
 * and converts every target box to the library's normalized {@code (cx, cy, w, h)}. Predicted boxes are always
 * normalized {@code (cx, cy, w, h)}, as DETR's sigmoid head produces them.
 */
public final class BoxFormat {
    private enum Layout { CXCYWH, CORNERS, TOP_LEFT_XYWH }

    private final Layout layout;
    private final float width;
    private final float height;

    private BoxFormat(Layout layout, float width, float height) {
        if (!(width > 0) || !(height > 0) || !Float.isFinite(width) || !Float.isFinite(height)) {
            throw new IllegalArgumentException("image size " + width + "x" + height + " must be positive and finite");
        }
        this.layout = layout;
        this.width = width;
        this.height = height;
    }

    /**
     * Normalized {@code (cx, cy, w, h)} in {@code [0, 1]}: the library's own layout, taken as is.
     *
     * @return the format
     */
    public static BoxFormat cxcywh() {
        return new BoxFormat(Layout.CXCYWH, 1f, 1f);
    }

    /**
     * Normalized corners {@code (x1, y1, x2, y2)} in {@code [0, 1]} (DJL's Banana data set).
     *
     * @return the format
     */
    public static BoxFormat corners() {
        return new BoxFormat(Layout.CORNERS, 1f, 1f);
    }

    /**
     * Corners {@code (x1, y1, x2, y2)} in pixels of an image of the given size.
     *
     * @param imageWidth  the image width in pixels, &gt; 0
     * @param imageHeight the image height in pixels, &gt; 0
     * @return the format
     * @throws IllegalArgumentException when a size is not positive and finite
     */
    public static BoxFormat cornersPixels(float imageWidth, float imageHeight) {
        return new BoxFormat(Layout.CORNERS, imageWidth, imageHeight);
    }

    /**
     * COCO's top-left {@code (x, y, w, h)} in pixels of an image of the given size.
     *
     * @param imageWidth  the image width in pixels, &gt; 0
     * @param imageHeight the image height in pixels, &gt; 0
     * @return the format
     * @throws IllegalArgumentException when a size is not positive and finite
     */
    public static BoxFormat cocoPixels(float imageWidth, float imageHeight) {
        return new BoxFormat(Layout.TOP_LEFT_XYWH, imageWidth, imageHeight);
    }

    /**
     * Converts one box to normalized {@code (cx, cy, w, h)}.
     *
     * @param in     the source values
     * @param inOff  index of the box's first value in {@code in}
     * @param out    the destination
     * @param outOff index of the first of the four values written to {@code out}
     */
    void toCxcywh(float[] in, int inOff, float[] out, int outOff) {
        float a = in[inOff] / width;
        float b = in[inOff + 1] / height;
        float c = in[inOff + 2] / width;
        float d = in[inOff + 3] / height;
        switch (layout) {
            case CORNERS:
                out[outOff] = 0.5f * (a + c);
                out[outOff + 1] = 0.5f * (b + d);
                out[outOff + 2] = c - a;
                out[outOff + 3] = d - b;
                break;
            case TOP_LEFT_XYWH:
                out[outOff] = a + 0.5f * c;
                out[outOff + 1] = b + 0.5f * d;
                out[outOff + 2] = c;
                out[outOff + 3] = d;
                break;
            case CXCYWH:
            default:
                out[outOff] = a;
                out[outOff + 1] = b;
                out[outOff + 2] = c;
                out[outOff + 3] = d;
                break;
        }
    }

    @Override
    public String toString() {
        String base = layout.name().toLowerCase(java.util.Locale.ROOT);
        return width == 1f && height == 1f ? base : base + "@" + width + "x" + height;
    }
}
