package dev.weft.platform.engine.internal.run;

import dev.weft.api.workflow.RunEvent;
import dev.weft.platform.engine.internal.graph.Graph;
import dev.weft.platform.engine.internal.graph.GraphEdge;
import dev.weft.platform.engine.internal.graph.GraphNode;
import dev.weft.platform.engine.internal.graph.References;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;

/**
 * Streams the answer nodes of a chatflow as Dify does, before they run: an answer's template is a
 * row of text and variable references, and it is sent to the user as far as it is known, as soon
 * as the answer is sure to be reached. A reference to a model's {@code text} streams that model's
 * tokens as they come; a reference to any other variable is sent once its node has finished. When
 * the answer node itself runs, only what was not sent yet goes out.
 *
 * <p>"Sure to be reached" means: every branching node above the answer (if-else, classifiers, a
 * node with a fail branch) has decided, and a way from the start to the answer is still open. An
 * answer below another waits until that one has been said, so that answers never interleave. Only
 * top-level answer nodes stream ahead; answers inside iterations and loops are sent when they run.
 */
final class AnswerStreams {

    private sealed interface Segment {
    }

    private record Text(String text) implements Segment {
    }

    private record Ref(List<String> selector) implements Segment {
        String node() {
            return selector.get(0);
        }

        /** Whether the model's tokens stream into it: {@code [node, text]} exactly. */
        boolean streams() {
            return selector.size() == 2 && selector.get(1).equals("text");
        }
    }

    private final class Answer {
        final String nodeId;
        final List<Segment> segments;
        final Set<String> branchingAbove;
        /** Answers above this one: theirs is said first. */
        final Set<String> answersAbove;
        int position;
        /** How much of the current reference was sent. */
        int sentOfCurrent;
        final StringBuilder sent = new StringBuilder();
        boolean reachable;
        boolean done;

        Answer(String nodeId, List<Segment> segments, Set<String> branchingAbove, Set<String> answersAbove) {
            this.nodeId = nodeId;
            this.segments = segments;
            this.branchingAbove = branchingAbove;
            this.answersAbove = answersAbove;
        }

        void send(String text) {
            if (!text.isEmpty() && !run.stopping()) {
                sent.append(text);
                run.emit(new RunEvent.TextChunk(run.spec.runId(), run.now(), nodeId, "answer", text));
            }
        }
    }

    private final RunContext run;
    private final Graph graph;
    private final Map<String, Answer> answers = new LinkedHashMap<>();
    private final Map<String, StringBuilder> tokens = new HashMap<>();
    private final Set<String> finished = new HashSet<>();
    private final Set<String> skipped = new HashSet<>();
    private VariablePool pool;

    AnswerStreams(RunContext run) {
        this.run = run;
        this.graph = run.spec.graph();
        for (GraphNode node : graph.scope(null)) {
            if (node.type().equals("answer") && node.data().get("answer") instanceof String template) {
                Set<String> above = above(node.id());
                Set<String> branching = new HashSet<>();
                Set<String> answersAbove = new HashSet<>();
                for (String id : above) {
                    if (branches(id)) {
                        branching.add(id);
                    }
                    if (graph.nodes().get(id) != null && graph.nodes().get(id).type().equals("answer")) {
                        answersAbove.add(id);
                    }
                }
                answers.put(node.id(), new Answer(node.id(), segments(template), branching, answersAbove));
            }
        }
    }

    /** Whether a top-level node of this run is an answer that streams ahead. */
    boolean streams(String nodeId) {
        return answers.containsKey(nodeId);
    }

    private static List<Segment> segments(String template) {
        List<Segment> segments = new ArrayList<>();
        Matcher matcher = References.TEMPLATE.matcher(template);
        int at = 0;
        while (matcher.find()) {
            if (matcher.start() > at) {
                segments.add(new Text(template.substring(at, matcher.start())));
            }
            segments.add(new Ref(List.of(matcher.group(1).split("\\."))));
            at = matcher.end();
        }
        if (at < template.length()) {
            segments.add(new Text(template.substring(at)));
        }
        return segments;
    }

    /** The nodes above a node. */
    private Set<String> above(String nodeId) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(nodeId));
        while (!todo.isEmpty()) {
            for (GraphEdge edge : graph.incoming(todo.pop())) {
                if (seen.add(edge.source())) {
                    todo.push(edge.source());
                }
            }
        }
        return seen;
    }

    private boolean branches(String nodeId) {
        GraphNode node = graph.nodes().get(nodeId);
        if (node == null) {
            return false;
        }
        if ("fail-branch".equals(node.data().get("error_strategy"))) {
            return true;
        }
        return graph.outgoing(nodeId).stream().map(GraphEdge::sourceHandle).distinct().count() > 1;
    }

    /** The top-level variable pool, once the run has one. */
    synchronized void start(VariablePool top) {
        this.pool = top;
    }

    /** A piece of a top-level node's streamed output. */
    synchronized void chunk(String nodeId, String output, String text) {
        if (!output.equals("text")) {
            return;
        }
        tokens.computeIfAbsent(nodeId, id -> new StringBuilder()).append(text);
        advanceAll();
    }

    /** A top-level node finished (its outputs are in the pool) or was left out. */
    synchronized void ended(String nodeId, boolean ran) {
        (ran ? finished : skipped).add(nodeId);
        advanceAll();
    }

    /**
     * Looks again at which answers are sure to be reached, given the edges the scope has decided
     * (taken or left out) so far, and sends what they can. Only the scope's own bookkeeping says
     * whether a branch has decided: a branching node that finished has not chosen its way until
     * the scope has read its outcome.
     */
    synchronized void decided(Predicate<String> edgeDecided, Predicate<String> edgeSkipped) {
        for (Answer answer : answers.values()) {
            if (!answer.reachable && !answer.done && !skipped.contains(answer.nodeId)
                    && answer.branchingAbove.stream().allMatch(node -> skipped.contains(node)
                            || graph.outgoing(node).stream().allMatch(edge -> edgeDecided.test(edge.id())))
                    && answersAboveSaid(answer) && open(answer.nodeId, edgeSkipped)) {
                answer.reachable = true;
            }
        }
        advanceAll();
    }

    /** Whether every answer above this one has run or was left out. */
    private boolean answersAboveSaid(Answer answer) {
        for (String id : answer.answersAbove) {
            Answer above = answers.get(id);
            if (!skipped.contains(id) && !finished.contains(id) && (above == null || !above.done)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a way from the start to the node has no edge left out. */
    private boolean open(String nodeId, Predicate<String> edgeSkipped) {
        GraphNode start = graph.start().orElse(null);
        if (start == null) {
            return false;
        }
        Set<String> seen = new HashSet<>(List.of(start.id()));
        Deque<String> todo = new ArrayDeque<>(seen);
        while (!todo.isEmpty()) {
            String at = todo.pop();
            if (at.equals(nodeId)) {
                return true;
            }
            for (GraphEdge edge : graph.outgoing(at)) {
                if (!edgeSkipped.test(edge.id()) && seen.add(edge.target())) {
                    todo.push(edge.target());
                }
            }
        }
        return false;
    }

    private void advanceAll() {
        if (pool == null || run.stopping()) {
            return;
        }
        for (Answer answer : answers.values()) {
            if (answer.reachable && !answer.done) {
                advance(answer);
            }
        }
    }

    private void advance(Answer answer) {
        while (answer.position < answer.segments.size()) {
            Segment segment = answer.segments.get(answer.position);
            if (segment instanceof Text text) {
                answer.send(text.text());
            } else if (segment instanceof Ref ref) {
                String node = ref.node();
                boolean ofANode = graph.nodes().containsKey(node);
                if (!ofANode && node.equals("conversation")) {
                    // an assigner above may still change it: it is sent when the answer runs
                    return;
                }
                if (!ofANode || finished.contains(node) || skipped.contains(node)) {
                    String value = pool.render("{{#" + String.join(".", ref.selector()) + "#}}");
                    answer.send(value.length() >= answer.sentOfCurrent && value.startsWith(peek(answer))
                            ? value.substring(answer.sentOfCurrent) : "");
                } else if (ref.streams() && tokens.containsKey(node)) {
                    StringBuilder streamed = tokens.get(node);
                    answer.send(streamed.substring(answer.sentOfCurrent));
                    answer.sentOfCurrent = streamed.length();
                    return;
                } else {
                    return;
                }
            }
            answer.position++;
            answer.sentOfCurrent = 0;
        }
    }

    /** What of the current reference was sent: the tail of the answer's sent text. */
    private static String peek(Answer answer) {
        return answer.sent.substring(answer.sent.length() - answer.sentOfCurrent);
    }

    /**
     * The answer node runs with its whole text: what was not sent ahead, which goes out now. When
     * the whole text does not continue what was sent (a variable changed in between), the rest
     * after their common beginning is sent.
     */
    synchronized String rest(String nodeId, String whole) {
        Answer answer = answers.get(nodeId);
        if (answer == null) {
            return whole;
        }
        answer.done = true;
        String sent = answer.sent.toString();
        if (whole.startsWith(sent)) {
            return whole.substring(sent.length());
        }
        int common = 0;
        while (common < Math.min(sent.length(), whole.length()) && sent.charAt(common) == whole.charAt(common)) {
            common++;
        }
        return whole.substring(common);
    }

    /** For tests: the answers and what each sent ahead. */
    synchronized Map<String, String> sentAhead() {
        Map<String, String> out = new LinkedHashMap<>();
        answers.forEach((id, answer) -> out.put(id, answer.sent.toString()));
        return out;
    }
}
