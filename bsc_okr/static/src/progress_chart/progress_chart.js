import { Component, onWillStart, useEffect, useRef } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { registry } from "@web/core/registry";

// Both charts give their y axis the same width, so that their days line up.
const Y_AXIS_WIDTH = 40;
const fitYAxis = (scale) => {
    scale.width = Y_AXIS_WIDTH;
};

const STYLES = {
    actual: { borderColor: "#017e84", backgroundColor: "rgba(1, 126, 132, 0.15)", fill: "start" },
    expected: { borderColor: "#8f8f8f", borderDash: [6, 4], pointRadius: 0, fill: false },
    target: { borderColor: "#28a745", borderDash: [2, 4], pointRadius: 0, fill: false },
    confidence: { borderColor: "#e29b00", backgroundColor: "rgba(226, 155, 0, 0.15)", fill: "start" },
};

/**
 * A progress chart drawn with the Chart.js that Odoo ships (the bundle
 * web.chartjs_lib, as the graph view loads it): lines over a time axis, and
 * an optional confidence line in a second, smaller chart below. The server
 * builds the whole specification (translated labels, points in percent):
 * okr.objective._okr_burnup_chart() and okr.key.result._okr_checkin_chart().
 * The same component serves the back end (a field widget) and the portal
 * (an <owl-component>).
 *
 * chart = {series: [{label, style, points: [{x: "YYYY-MM-DD", y}]}],
 *          confidence: {label, points} | null, y_max, empty}
 */
export class OkrProgressChart extends Component {
    static template = "bsc_okr.OkrProgressChart";
    static props = {
        chart: { type: Object, optional: true },
        height: { type: Number, optional: true },
    };
    static defaultProps = { height: 200 };

    setup() {
        this.mainRef = useRef("main");
        this.confidenceRef = useRef("confidence");
        this.charts = [];
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(
            () => {
                this.renderCharts();
                return () => this.destroyCharts();
            },
            () => [this.props.chart]
        );
    }

    get spec() {
        return this.props.chart || { series: [] };
    }

    get hasData() {
        return (this.spec.series || []).some((s) => s.style === "actual" && s.points.length);
    }

    get confidenceHeight() {
        return Math.max(90, Math.round(this.props.height / 2));
    }

    get hasConfidence() {
        return this.hasData && Boolean(this.spec.confidence && this.spec.confidence.points.length);
    }

    destroyCharts() {
        for (const chart of this.charts) {
            chart.destroy();
        }
        this.charts = [];
    }

    timeScale(display = true) {
        return {
            type: "time",
            time: { unit: "week", tooltipFormat: "DD" },
            ticks: { display, maxRotation: 0, autoSkip: true },
            min: this.spec.x_min,
            max: this.spec.x_max,
        };
    }

    renderCharts() {
        this.destroyCharts();
        if (!this.hasData || !this.mainRef.el) {
            return;
        }
        const datasets = this.spec.series.map((serie) => ({
            label: serie.label,
            data: serie.points,
            borderWidth: 2,
            tension: 0,
            ...(STYLES[serie.style] || STYLES.actual),
        }));
        this.charts.push(
            new Chart(this.mainRef.el, {
                type: "line",
                data: { datasets },
                options: {
                    maintainAspectRatio: false,
                    animation: false,
                    interaction: { mode: "nearest", intersect: false },
                    plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
                    scales: {
                        x: this.timeScale(),
                        y: {
                            min: 0,
                            suggestedMax: this.spec.y_max || 100,
                            ticks: { callback: (value) => `${value}%` },
                            afterFit: fitYAxis,
                        },
                    },
                },
            })
        );
        if (this.hasConfidence && this.confidenceRef.el) {
            const confidence = this.spec.confidence;
            this.charts.push(
                new Chart(this.confidenceRef.el, {
                    type: "line",
                    data: {
                        datasets: [
                            {
                                label: confidence.label,
                                data: confidence.points,
                                borderWidth: 2,
                                stepped: true,
                                ...STYLES.confidence,
                            },
                        ],
                    },
                    options: {
                        maintainAspectRatio: false,
                        animation: false,
                        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
                        scales: {
                            x: this.timeScale(false),
                            y: { min: 0, max: 10, ticks: { stepSize: 5 }, afterFit: fitYAxis },
                        },
                    },
                })
            );
        }
    }
}

registry.category("public_components").add("bsc_okr.progress_chart", OkrProgressChart);
