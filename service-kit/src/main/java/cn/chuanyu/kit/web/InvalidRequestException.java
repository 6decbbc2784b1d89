package cn.chuanyu.kit.web;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A request with one or more problems a client can fix, all named at once (400): unknown query parameters, or a
 * body's unknown fields, wrong types, bad enum values and failed constraints together.
 */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldProblem> problems;

    public InvalidRequestException(List<FieldProblem> problems) {
        super(problems.stream().map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
