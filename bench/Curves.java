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

import javax.imageio.ImageIO;

/**
 * Draws how a cost grows (PNG) from a small TSV the bench scripts write: x on a log scale, one panel per unit,
 * linear y from zero. Java2D, headless, so the benches need nothing beyond the JDK.
 * <pre>
 *   # title
 *   x label &lt;TAB&gt; series [unit] &lt;TAB&gt; series [unit] ...
 *   1 &lt;TAB&gt; 312 &lt;TAB&gt; 9.5 ...
 * </pre>
 * Series with the same unit share a panel. A cell that is not a number leaves the point out.
 * Usage: {@code java bench/Curves.java data.tsv out.png}
 */
public class Curves {

    static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189)};

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        String title = lines.get(0).replaceFirst("^#\\s*", "");
        String[] header = lines.get(1).split("\t");
        List<double[]> rows = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            double[] row = new double[header.length];
            for (int i = 0; i < header.length; i++) {
                row[i] = i < f.length && f[i].matches("-?[0-9.]+") ? Double.parseDouble(f[i]) : Double.NaN;
            }
            rows.add(row);
        }
        Map<String, List<Integer>> panels = new LinkedHashMap<>();
        for (int i = 1; i < header.length; i++) {
            String unit = header[i].contains("[") ? header[i].replaceAll(".*\\[(.*)].*", "$1") : "";
            panels.computeIfAbsent(unit, k -> new ArrayList<>()).add(i);
        }
        double xMin = rows.stream().mapToDouble(r -> r[0]).min().orElse(1);
        double xMax = rows.stream().mapToDouble(r -> r[0]).max().orElse(10);
        double lo = Math.floor(Math.log10(xMin));
        double hi = Math.max(lo + 1, Math.ceil(Math.log10(xMax)));

        int pw = 380;
        int ph = 300;
        int left = 70;
        int gap = 90;
        int top = 60;
        int legend = 26 * (header.length - 1);
        int w = left + panels.size() * (pw + gap);
        int h = top + ph + 60 + legend;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        int panel = 0;
        int legendY = top + ph + 50;
        for (Map.Entry<String, List<Integer>> p : panels.entrySet()) {
            int x0 = left + panel * (pw + gap);
            double yMax = 0;
            for (double[] r : rows) {
                for (int i : p.getValue()) {
                    if (!Double.isNaN(r[i])) {
                        yMax = Math.max(yMax, r[i]);
                    }
                }
            }
            yMax = niceCeiling(yMax * 1.05);
            double ym = yMax;
            java.util.function.DoubleUnaryOperator x = v -> x0 + (Math.log10(v) - lo) / (hi - lo) * pw;
            java.util.function.DoubleUnaryOperator y = v -> top + ph - v / ym * ph;
            for (double e = lo; e <= hi; e++) {
                for (int m = 1; m < 10; m++) {
                    double v = m * Math.pow(10, e);
                    if (v > Math.pow(10, hi)) {
                        break;
                    }
                    int px = (int) x.applyAsDouble(v);
                    g.setColor(m == 1 ? new Color(215, 215, 215) : new Color(242, 242, 242));
                    g.drawLine(px, top, px, top + ph);
                }
            }
            for (double[] r : rows) {   // the measured x values as labels: 1, 4, 16, 64 reads better than 10^n
                int px = (int) x.applyAsDouble(r[0]);
                g.setColor(Color.BLACK);
                String label = r[0] == Math.rint(r[0]) ? String.valueOf((long) r[0]) : String.valueOf(r[0]);
                g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, top + ph + 16);
            }
            for (int t = 0; t <= 5; t++) {
                double v = ym * t / 5;
                int py = (int) y.applyAsDouble(v);
                g.setColor(new Color(230, 230, 230));
                g.drawLine(x0, py, x0 + pw, py);
                g.setColor(Color.BLACK);
                String label = v >= 100 || v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.1f", v);
                g.drawString(label, x0 - 8 - g.getFontMetrics().stringWidth(label), py + 4);
            }
            g.setColor(Color.BLACK);
            g.drawRect(x0, top, pw, ph);
            g.drawString(header[0] + " (log scale)", x0 + pw / 2 - 60, top + ph + 34);
            g.rotate(-Math.PI / 2);
            g.drawString(p.getKey(), -(top + ph / 2 + 30), x0 - 50);
            g.rotate(Math.PI / 2);
            for (int i : p.getValue()) {
                Color c = COLORS[(i - 1) % COLORS.length];
                g.setColor(c);
                g.setStroke(new BasicStroke(2));
                int[] prev = null;
                for (double[] r : rows) {
                    if (Double.isNaN(r[i])) {
                        continue;
                    }
                    int px = (int) x.applyAsDouble(r[0]);
                    int py = (int) y.applyAsDouble(r[i]);
                    if (prev != null) {
                        g.drawLine(prev[0], prev[1], px, py);
                    }
                    g.fillOval(px - 4, py - 4, 8, 8);
                    prev = new int[] {px, py};
                }
                g.drawLine(left, legendY - 4, left + 30, legendY - 4);
                g.setColor(Color.BLACK);
                g.drawString(header[i], left + 38, legendY);
                legendY += 22;
            }
            panel++;
        }
        g.dispose();
        ImageIO.write(img, "png", new File(args[1]));
    }

    /** 1, 2 or 5 times a power of ten, at least v. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
