package cn.chuanyu.cyx;

import picocli.CommandLine.Option;

/** {@code --json} on every command that prints. */
final class JsonOption {
    @Option(names = "--json", description = "Print JSON (the API's body; NDJSON for streams) instead of a table.")
    boolean json;
}
