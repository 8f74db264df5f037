package dev.kdstream.dashboard.panel;

import static dev.kdstream.contracts.metrics.MetricNames.ACCURACY;
import static dev.kdstream.contracts.metrics.MetricNames.AGREEMENT;
import static dev.kdstream.contracts.metrics.MetricNames.BASELINE;
import static dev.kdstream.contracts.metrics.MetricNames.DEAD_LETTERS;
import static dev.kdstream.contracts.metrics.MetricNames.DISTILLED;
import static dev.kdstream.contracts.metrics.MetricNames.ENSEMBLE;
import static dev.kdstream.contracts.metrics.MetricNames.EVAL;
import static dev.kdstream.contracts.metrics.MetricNames.EVALUATED_RECORDS;
import static dev.kdstream.contracts.metrics.MetricNames.HOLDOUT;
import static dev.kdstream.contracts.metrics.MetricNames.KL_TO_TEACHER;
import static dev.kdstream.contracts.metrics.MetricNames.KNOWLEDGE_RECOVERED;
import static dev.kdstream.contracts.metrics.MetricNames.KNOWLEDGE_RECOVERED_LOWER;
import static dev.kdstream.contracts.metrics.MetricNames.KNOWLEDGE_RECOVERED_UPPER;
import static dev.kdstream.contracts.metrics.MetricNames.MODEL;
import static dev.kdstream.contracts.metrics.MetricNames.MODEL_VERSION;
import static dev.kdstream.contracts.metrics.MetricNames.PREDICTION_LATENCY;
import static dev.kdstream.contracts.metrics.MetricNames.PREQUENTIAL_WINDOW;
import static dev.kdstream.contracts.metrics.MetricNames.REASON;
import static dev.kdstream.contracts.metrics.MetricNames.RECORDS;
import static dev.kdstream.contracts.metrics.MetricNames.RECORDS_TRAINED;
import static dev.kdstream.contracts.metrics.MetricNames.SELECTION;
import static dev.kdstream.contracts.metrics.MetricNames.SERVICE;
import static dev.kdstream.contracts.metrics.MetricNames.OUTCOME;
import static dev.kdstream.contracts.metrics.MetricNames.ROLE;
import static dev.kdstream.contracts.metrics.MetricNames.STAGE;
import static dev.kdstream.contracts.metrics.MetricNames.STUDENT;
import static dev.kdstream.contracts.metrics.MetricNames.STUDENT_PREDICTIONS;
import static dev.kdstream.contracts.metrics.MetricNames.STUDENT_PREDICTIONS_LATE;
import static dev.kdstream.contracts.metrics.MetricNames.TEACHER;
import static dev.kdstream.contracts.metrics.MetricNames.TEACHER_BUDGET;
import static dev.kdstream.contracts.metrics.MetricNames.TEACHER_SELECTED;
import static dev.kdstream.contracts.metrics.MetricNames.VERSION;
import static dev.kdstream.dashboard.panel.PrometheusNames.counter;
import static dev.kdstream.dashboard.panel.PrometheusNames.gauge;
import static dev.kdstream.dashboard.panel.PrometheusNames.timer;

import java.util.List;

/**
 * What the page and the reports show: the tiles at the top and the charts, each a query of the
 * services' {@code /metrics}. The Grafana dashboard of the compose deployment has the same panels
 * (monitoring/grafana/dashboards/kd-stream-overview.json; GrafanaParityTest checks it queries every metric this does).
 */
public record Layout(List<Tile> tiles, List<Panel> panels) {

    /** Kafka's client metric of records not yet read, per partition. */
    public static final String CONSUMER_LAG = "kafka_consumer_fetch_manager_records_lag";
    /** The label of the predictions counter's serving stage. */
    public static final String PREDICTED = "predicted";
    /** The panel of records trained, whose distilled line is the x of the reports' learning curves. */
    public static final String TRAINED_PANEL = "trained";
    /** Knowledge recovered's axis: -100 % to 200 % shows any estimate worth reading; intervals go far wider. */
    private static final Panel.Range RECOVERED_AXIS = new Panel.Range(-1, 2);
    /** The window the prequential and agreement figures are over, said on their panels. */
    private static final String ROLLING = "rolling window of the newest labelled records (its size is on the "
            + "records chart)";

    public Layout {
        tiles = List.copyOf(tiles);
        panels = List.copyOf(panels);
    }

    public static Layout standard() {
        final String accuracy = gauge(ACCURACY);
        final String evaluated = gauge(EVALUATED_RECORDS);
        final Query holdoutRecords = Query.gauge(evaluated, "records", EVAL, HOLDOUT);
        return new Layout(List.of(
                Tile.of("holdout-teacher", "Ensemble, holdout", Unit.PERCENT,
                        Query.gauge(accuracy, "accuracy", EVAL, HOLDOUT, MODEL, TEACHER), holdoutRecords),
                Tile.of("holdout-distilled", "Distilled student, holdout", Unit.PERCENT,
                        Query.gauge(accuracy, "accuracy", EVAL, HOLDOUT, MODEL, DISTILLED), holdoutRecords),
                Tile.of("holdout-baseline", "Baseline student, holdout", Unit.PERCENT,
                        Query.gauge(accuracy, "accuracy", EVAL, HOLDOUT, MODEL, BASELINE), holdoutRecords),
                Tile.of("recovered", "Knowledge recovered, holdout", Unit.PERCENT,
                        Query.gauge(gauge(KNOWLEDGE_RECOVERED), "recovered", EVAL, HOLDOUT), holdoutRecords)
                        .withInterval(Query.gauge(gauge(KNOWLEDGE_RECOVERED_LOWER), "low", EVAL, HOLDOUT),
                                Query.gauge(gauge(KNOWLEDGE_RECOVERED_UPPER), "high", EVAL, HOLDOUT)),
                Tile.of("predictions", "Predictions/s", Unit.PER_SECOND,
                        Query.rate(counter(RECORDS), "predicted", STAGE, PREDICTED), null),
                Tile.of("serving", "Serving student version", Unit.NUMBER,
                        Query.gauge(gauge(MODEL_VERSION), "serving", STAGE, "serving").max(), null),
                Tile.named("ensemble", "Ensemble version", Query.gauge(gauge(ENSEMBLE), "{version}").by(VERSION)),
                Tile.of("dead-letters", "Dead letters", Unit.RECORDS,
                        Query.gauge(counter(DEAD_LETTERS), "all"), null)),
            List.of(
                new Panel("prequential", "Accuracy, prequential", ROLLING, Unit.PERCENT, List.of(
                        Query.gauge(accuracy, "{model}", EVAL, PREQUENTIAL_WINDOW).by(MODEL)), null, true, null),
                new Panel("holdout", "Accuracy, holdout", "rolling window of the newest labelled holdout records (its size "
                        + "is on the records chart)", Unit.PERCENT,
                        List.of(Query.gauge(accuracy, "{model}", EVAL, HOLDOUT).by(MODEL)), null, true, null),
                new Panel("recovered", "Knowledge recovered", "(distilled - baseline) / (ensemble - baseline), "
                        + "with the holdout's 95 % interval (shaded on the page, dashed in reports); a gap where it is "
                        + "undefined", Unit.PERCENT, List.of(
                        Query.gauge(gauge(KNOWLEDGE_RECOVERED), "{eval}").by(EVAL),
                        Query.gauge(gauge(KNOWLEDGE_RECOVERED_LOWER), "holdout 95% low", EVAL, HOLDOUT),
                        Query.gauge(gauge(KNOWLEDGE_RECOVERED_UPPER), "holdout 95% high", EVAL, HOLDOUT)),
                        new Panel.Band("holdout 95% low", "holdout 95% high"), true, RECOVERED_AXIS),
                new Panel("agreement", "Agreement with the ensemble", ROLLING, Unit.PERCENT,
                        List.of(Query.gauge(gauge(AGREEMENT), "agreement")), null, true, null),
                new Panel("kl", "KL(ensemble || student) at T", ROLLING, Unit.NUMBER,
                        List.of(Query.gauge(gauge(KL_TO_TEACHER), "KL")), null, true, null),
                new Panel("records", "Records the figures rest on", "labelled records in each evaluation: the "
                        + "rolling windows' fill, and all scored since the trainer started (cumulative)", Unit.RECORDS,
                        List.of(Query.gauge(evaluated, "{eval}").by(EVAL)), null, false, null),
                new Panel(TRAINED_PANEL, "Records trained", "by this trainer process (holdout records are scored, never "
                        + "trained on)",
                        Unit.RECORDS, List.of(Query.gauge(counter(RECORDS_TRAINED), "{model}").by(MODEL)), null, false, null),
                new Panel("throughput", "Events/s per stage", "between two scrapes", Unit.PER_SECOND, List.of(
                        Query.rate(counter(RECORDS), "{service} {stage}").by(SERVICE, STAGE),
                        Query.rate(counter(RECORDS_TRAINED), "trained {model}").by(MODEL)), null, false, null),
                new Panel("lag", "Consumer lag", "records not yet read, per consumer and topic, as of its last fetch "
                        + "(a gap where the consumer does not publish it)", Unit.RECORDS,
                        List.of(Query.gauge(CONSUMER_LAG, "{service} {topic}").by(SERVICE, "topic")), null, false, null),
                new Panel("latency", "Event-to-prediction latency", "mean between two scrapes; p50 and p99 over "
                        + "the timer's sliding window, shown only while predictions flow", Unit.SECONDS, List.of(
                        Query.meanOfIncrease(timer(PREDICTION_LATENCY), "mean"),
                        Query.gauge(timer(PREDICTION_LATENCY), "p50", "quantile", "0.5")
                                .whileIncreasing(timer(PREDICTION_LATENCY) + "_count"),
                        Query.gauge(timer(PREDICTION_LATENCY), "p99", "quantile", "0.99")
                                .whileIncreasing(timer(PREDICTION_LATENCY) + "_count")), null, false, null),
                new Panel("dead-letters", "Dead letters/s by reason", "between two scrapes", Unit.PER_SECOND,
                        List.of(Query.rate(counter(DEAD_LETTERS), "{service} {reason}").by(SERVICE, REASON)), null, false, null),
                new Panel("versions", "Student model version", "the newest checkpoint written (training) and "
                        + "answered with (serving), the highest of any instance", Unit.NUMBER,
                        List.of(Query.gauge(gauge(MODEL_VERSION), "{stage}").by(STAGE).max()), null, false, null),
                new Panel("budget", "Teacher budget", "the share of training records the teacher aims to annotate "
                        + "(target) and has annotated since it started (realised)", Unit.PERCENT,
                        List.of(Query.gauge(gauge(TEACHER_BUDGET), "{stage}").by(STAGE)), null, false, null),
                new Panel("decisions", "Teacher decisions/s", "between two scrapes: annotated (uniform, uncertain, "
                        + "holdout), passed on with the label alone, left out", Unit.PER_SECOND,
                        List.of(Query.rate(counter(TEACHER_SELECTED), "{selection}").by(SELECTION)), null, false,
                        null),
                new Panel("students", "Students on live traffic", "answers/s of each student, served or in its "
                        + "shadow, by outcome against the record's label, or against the late label when it came: "
                        + "compare the correct share side by side",
                        Unit.PER_SECOND, List.of(Query.rate(counter(STUDENT_PREDICTIONS), "{student} {role} {outcome}")
                                .by(STUDENT, ROLE, OUTCOME), Query.rate(counter(STUDENT_PREDICTIONS_LATE),
                                "{student} {role} {outcome} (late label)").by(STUDENT, ROLE, OUTCOME)), null, false,
                        null)));
    }
}
