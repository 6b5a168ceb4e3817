/** @odoo-module **/

import { Component, onMounted, onPatched, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { ControlPanel } from "@web/search/control_panel/control_panel";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const SVG_NS = "http://www.w3.org/2000/svg";
const STRENGTH_WIDTH = { weak: 1.2, medium: 2, strong: 3.2 };
const EVIDENCE_VERDICTS = ["supported", "contradicted", "reverse", "no_evidence", "insufficient"];

/**
 * The strategy map: perspectives as bands (Financial on top), objectives as
 * cards coloured by status, cause-effect links as curved SVG arrows.
 *
 * All data comes from one call to bsc.scorecard.get_strategy_map_data().
 * Arrows are drawn imperatively after each render, from the cards' positions,
 * so that the card grid can wrap freely (60+ objectives stay legible).
 */
export class StrategyMap extends Component {
    static template = "bsc_okr.StrategyMap";
    static components = { ControlPanel };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.mapRef = useRef("map");
        this.svgRef = useRef("svg");
        const params = this.props.action.params || {};
        const context = this.props.action.context || {};
        this.state = useState({
            data: null,
            scorecardId: params.scorecard_id || context.active_id || false,
            periodId: params.period_id || false,
            themeId: false,
            hoverThemeId: false,
            hoverObjectiveId: false,
            showEvidence: Boolean(params.evidence),
        });
        onWillStart(() => this.load());
        onMounted(() => {
            this.drawLinks();
            this.resizeObserver = new ResizeObserver(() => this.drawLinks());
            this.resizeObserver.observe(this.mapRef.el);
        });
        onPatched(() => this.drawLinks());
        onWillUnmount(() => this.resizeObserver?.disconnect());
    }

    async load() {
        const ids = this.state.scorecardId ? [this.state.scorecardId] : [];
        const data = await this.orm.call("bsc.scorecard", "get_strategy_map_data", [ids], {
            period_id: this.state.periodId || false,
        });
        this.state.data = data;
        if (data.scorecard) {
            this.state.scorecardId = data.scorecard.id;
            this.state.periodId = data.period_id;
        }
    }

    // ------------------------------------------------------------------
    // Derived data
    // ------------------------------------------------------------------
    get bands() {
        const data = this.state.data;
        return data.perspectives.map((perspective) => ({
            ...perspective,
            objectives: data.objectives.filter((o) => o.perspective_id === perspective.id),
        }));
    }

    get activeThemeId() {
        return this.state.hoverThemeId || this.state.themeId;
    }

    get relatedIds() {
        const focus = this.state.hoverObjectiveId;
        if (!focus) {
            return null;
        }
        const ids = new Set([focus]);
        for (const link of this.state.data.links) {
            if (link.cause_id === focus) {
                ids.add(link.effect_id);
            } else if (link.effect_id === focus) {
                ids.add(link.cause_id);
            }
        }
        return ids;
    }

    cardClass(objective) {
        const classes = [`o_bsc_status_${objective.status}`];
        const themeId = this.activeThemeId;
        if (themeId && !objective.theme_ids.includes(themeId)) {
            classes.push("o_bsc_dimmed");
        }
        const related = this.relatedIds;
        if (related) {
            classes.push(related.has(objective.id) ? "o_bsc_related" : "o_bsc_dimmed");
        }
        return classes.join(" ");
    }

    formatScore(score) {
        return score === null || score === undefined ? "–" : score.toFixed(1);
    }

    statusLabel(status) {
        return {
            green: _t("On track"),
            amber: _t("At risk"),
            red: _t("Off track"),
            no_data: _t("No data"),
        }[status];
    }

    get evidenceLegend() {
        return EVIDENCE_VERDICTS.map((verdict) => ({
            verdict,
            label: this.evidenceLabel(verdict),
        }));
    }

    evidenceLabel(verdict) {
        return {
            supported: _t("Supported"),
            contradicted: _t("Contradicted"),
            reverse: _t("Reverse"),
            no_evidence: _t("No evidence"),
            insufficient: _t("Insufficient data"),
            "": _t("Not tested"),
        }[verdict || ""];
    }

    approachLabel(approach) {
        return { kpi: _t("KPI"), okr: _t("OKR"), both: _t("KPI + OKR") }[approach];
    }

    themeColor(themeId) {
        const theme = this.state.data.themes.find((t) => t.id === themeId);
        return (theme && theme.color) || "#6c757d";
    }

    // ------------------------------------------------------------------
    // Handlers
    // ------------------------------------------------------------------
    async onScorecardChange(ev) {
        this.state.scorecardId = parseInt(ev.target.value) || false;
        this.state.periodId = false;
        this.state.themeId = false;
        await this.load();
    }

    async onPeriodChange(ev) {
        this.state.periodId = parseInt(ev.target.value) || false;
        await this.load();
    }

    toggleEvidence() {
        this.state.showEvidence = !this.state.showEvidence;
    }

    toggleTheme(themeId) {
        this.state.themeId = this.state.themeId === themeId ? false : themeId;
    }

    openObjective(objectiveId) {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "bsc.objective",
            res_id: objectiveId,
            views: [[false, "form"]],
            target: "current",
        });
    }

    openScorecard() {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "bsc.scorecard",
            res_id: this.state.scorecardId,
            views: [[false, "form"]],
            target: "current",
        });
    }

    // ------------------------------------------------------------------
    // Arrows
    // ------------------------------------------------------------------
    drawLinks() {
        const map = this.mapRef.el;
        const svg = this.svgRef.el;
        if (!map || !svg || !this.state.data || !this.state.data.links) {
            return;
        }
        const origin = map.getBoundingClientRect();
        svg.setAttribute("width", map.scrollWidth);
        svg.setAttribute("height", map.scrollHeight);
        const boxes = {};
        for (const card of map.querySelectorAll(".o_bsc_map_card")) {
            const rect = card.getBoundingClientRect();
            boxes[card.dataset.id] = {
                left: rect.left - origin.left,
                top: rect.top - origin.top,
                width: rect.width,
                height: rect.height,
            };
        }
        // Spread the ends of several arrows over a card's edge.
        const outgoing = {};
        const incoming = {};
        const links = this.state.data.links.filter(
            (link) => boxes[link.cause_id] && boxes[link.effect_id]
        );
        const byX = (id) => boxes[id].left;
        for (const link of [...links].sort((a, b) => byX(a.effect_id) - byX(b.effect_id))) {
            (outgoing[link.cause_id] ||= []).push(link.id);
        }
        for (const link of [...links].sort((a, b) => byX(a.cause_id) - byX(b.cause_id))) {
            (incoming[link.effect_id] ||= []).push(link.id);
        }
        const related = this.relatedIds;
        const themeId = this.activeThemeId;
        const themed = new Set(
            themeId
                ? this.state.data.objectives
                      .filter((o) => o.theme_ids.includes(themeId))
                      .map((o) => o.id)
                : []
        );
        const layer = svg.querySelector(".o_bsc_map_arrows");
        layer.replaceChildren();
        for (const link of links) {
            const from = boxes[link.cause_id];
            const to = boxes[link.effect_id];
            const spread = (list, box) => {
                const index = list.indexOf(link.id);
                const step = Math.min(14, box.width / (list.length + 1));
                return box.left + box.width / 2 + (index - (list.length - 1) / 2) * step;
            };
            const x1 = spread(outgoing[link.cause_id], from);
            const x2 = spread(incoming[link.effect_id], to);
            let d;
            if (Math.abs(from.top - to.top) < 4) {
                // Same band: a shallow arc through the gap under the cards.
                const y1 = from.top + from.height;
                const y2 = to.top + to.height;
                const dip = 22;
                d = `M ${x1} ${y1} C ${x1} ${y1 + dip}, ${x2} ${y2 + dip}, ${x2} ${y2}`;
            } else {
                const upward = to.top < from.top;
                const y1 = upward ? from.top : from.top + from.height;
                const y2 = upward ? to.top + to.height : to.top;
                const bend = Math.max(30, Math.abs(y1 - y2) / 2);
                const dir = upward ? -1 : 1;
                d = `M ${x1} ${y1} C ${x1} ${y1 + dir * bend}, ${x2} ${y2 - dir * bend}, ${x2} ${y2}`;
            }
            const path = document.createElementNS(SVG_NS, "path");
            path.setAttribute("d", d);
            path.setAttribute("data-link-id", link.id);
            path.setAttribute("stroke-width", STRENGTH_WIDTH[link.strength] || 2);
            path.setAttribute("marker-end", "url(#o_bsc_arrow_head)");
            const classes = ["o_bsc_map_arrow"];
            const evidence = this.state.showEvidence;
            if (evidence) {
                const verdict = link.evidence || "untested";
                classes.push(`o_bsc_evidence_${verdict}`);
                path.setAttribute("data-evidence", verdict);
                if (verdict === "reverse") {
                    // Marked as reversed: a second head at the cause's end.
                    path.setAttribute("marker-start", "url(#o_bsc_arrow_head_reverse)");
                }
            }
            if (related) {
                classes.push(
                    related.has(link.cause_id) && related.has(link.effect_id) &&
                        (link.cause_id === this.state.hoverObjectiveId ||
                            link.effect_id === this.state.hoverObjectiveId)
                        ? "o_bsc_related"
                        : "o_bsc_dimmed"
                );
            } else if (themeId) {
                classes.push(
                    themed.has(link.cause_id) && themed.has(link.effect_id)
                        ? "o_bsc_related"
                        : "o_bsc_dimmed"
                );
            }
            path.setAttribute("class", classes.join(" "));
            const text = evidence
                ? [
                      `${this.evidenceLabel(link.evidence)}: ${link.evidence_text}`,
                      link.hypothesis,
                  ]
                      .filter(Boolean)
                      .join("\n")
                : link.hypothesis;
            if (text) {
                const title = document.createElementNS(SVG_NS, "title");
                title.textContent = text;
                path.appendChild(title);
            }
            layer.appendChild(path);
        }
        svg.dataset.arrowCount = String(links.length);
        svg.dataset.evidence = this.state.showEvidence ? "on" : "off";
    }
}

registry.category("actions").add("bsc_okr.strategy_map", StrategyMap);
