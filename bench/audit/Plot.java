import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.imageio.ImageIO;

/**
 * Draws the proof-latency curve (PNG) from the results.tsv BuildLog writes: p50 and p99 of each proof kind by log
 * size, log-scaled sizes, the 5 ms target as a line, synthetic sizes drawn with hollow markers. Java2D, headless,
 * so the bench needs nothing beyond the JDK. Args: results.tsv out.png title
 */
public class Plot {

    record Point(long size, boolean synthetic, double p50, double p99) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, List<Point>> series = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] f = line.split("\t");
            if (f.length == 6 && f[2].contains("-")) {
                series.computeIfAbsent(f[2], k -> new ArrayList<>()).add(new Point(Long.parseLong(f[0]),
                        f[1].equals("synthetic"), Double.parseDouble(f[3]), Double.parseDouble(f[4])));
            }
        }
        series.values().forEach(l -> l.sort((a, b) -> Long.compare(a.size, b.size)));
        int w = 900;
        int h = 560;
        int left = 70;
        int right = 250;
        int top = 50;
        int bottom = 60;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double xMin = 3.5;
        double xMax = 8.5;
        double yMax = 6;
        for (List<Point> l : series.values()) {
            for (Point p : l) {
                yMax = Math.max(yMax, p.p99 * 1.1);
            }
        }
        double ym = yMax;
        int pw = w - left - right;
        int ph = h - top - bottom;
        java.util.function.DoubleUnaryOperator x = s -> left + (Math.log10(s) - xMin) / (xMax - xMin) * pw;
        java.util.function.DoubleUnaryOperator y = v -> top + ph - v / ym * ph;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(args.length > 2 ? args[2] : "audit proof latency", left, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(left, top, pw, ph);
        for (int e = 4; e <= 8; e++) {
            int px = (int) x.applyAsDouble(Math.pow(10, e));
            g.setColor(new Color(230, 230, 230));
            g.drawLine(px, top, px, top + ph);
            g.setColor(Color.BLACK);
            g.drawString("10^" + e, px - 12, top + ph + 18);
        }
        double step = ym > 30 ? 10 : ym > 12 ? 2 : 1;
        for (double v = 0; v <= ym; v += step) {
            int py = (int) y.applyAsDouble(v);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left, py, left + pw, py);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.0f", v), left - 28, py + 4);
        }
        g.drawString("entries in the log (10^8: synthetic, hollow markers)", left + pw / 2 - 150, h - 20);
        g.rotate(-Math.PI / 2);
        g.drawString("ms per proof", -(top + ph / 2 + 40), 22);
        g.rotate(Math.PI / 2);
        int ty = (int) y.applyAsDouble(5);
        g.setColor(Color.RED);
        g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        g.drawLine(left, ty, left + pw, ty);
        g.drawString("p99 target 5 ms", left + 6, ty - 4);
        Map<String, Color> colors = new TreeMap<>(Map.of("inclusion-http", new Color(31, 119, 180),
                "consistency-http", new Color(255, 127, 14), "inclusion-jvm", new Color(44, 160, 44),
                "consistency-jvm", new Color(148, 103, 189)));
        int ly = top + 10;
        for (Map.Entry<String, List<Point>> s : series.entrySet()) {
            Color c = colors.getOrDefault(s.getKey(), Color.GRAY);
            for (int q = 0; q < 2; q++) {
                boolean p99 = q == 1;
                g.setColor(c);
                g.setStroke(p99 ? new BasicStroke(2) : new BasicStroke(2, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER, 10, new float[] {3, 3}, 0));
                Point prev = null;
                for (Point p : s.getValue()) {
                    int px = (int) x.applyAsDouble(p.size);
                    int py = (int) y.applyAsDouble(p99 ? p.p99 : p.p50);
                    if (prev != null) {
                        g.drawLine((int) x.applyAsDouble(prev.size),
                                (int) y.applyAsDouble(p99 ? prev.p99 : prev.p50), px, py);
                    }
                    g.setStroke(new BasicStroke(2));
                    if (p.synthetic) {
                        g.drawOval(px - 4, py - 4, 8, 8);
                    }
                    else {
                        g.fillOval(px - 4, py - 4, 8, 8);
                    }
                    g.setStroke(p99 ? new BasicStroke(2) : new BasicStroke(2, BasicStroke.CAP_BUTT,
                            BasicStroke.JOIN_MITER, 10, new float[] {3, 3}, 0));
                    prev = p;
                }
                g.drawLine(left + pw + 15, ly, left + pw + 45, ly);
                g.setColor(Color.BLACK);
                g.drawString(s.getKey().replace("-http", " (HTTP)").replace("-jvm", " (in JVM)")
                        + (p99 ? " p99" : " p50"), left + pw + 52, ly + 4);
                ly += 20;
            }
        }
        g.dispose();
        ImageIO.write(img, "png", new File(args[1]));
    }
}
