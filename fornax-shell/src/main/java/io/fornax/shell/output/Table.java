package io.fornax.shell.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Rows under upper-case headers, each column as wide as its widest cell, two spaces apart. */
public final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... headers) {
    this.headers = List.of(headers);
  }

  public Table(List<String> headers) {
    this.headers = List.copyOf(headers);
  }

  /** Adds a row; an empty cell prints as "-". */
  public Table row(String... cells) {
    return row(Arrays.asList(cells));
  }

  public Table row(List<String> cells) {
    if (cells.size() != headers.size()) {
      throw new IllegalArgumentException("row has " + cells.size() + " cells for "
          + headers.size() + " columns");
    }
    List<String> row = new ArrayList<>();
    for (String c : cells) {
      row.add(c == null || c.isEmpty() ? "-" : c);
    }
    rows.add(row);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The table, every line ending in a newline; the last column is not padded. */
  public String render() {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, headers, width);
    rows.forEach(r -> line(out, r, width));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells, int[] width) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      l.append(c);
      if (i < cells.size() - 1) {
        l.append(" ".repeat(width[i] - c.length() + 2));
      }
    }
    out.append(l.toString().stripTrailing()).append('\n');
  }
}
