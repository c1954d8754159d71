/**
 * The coverage heat grid, drawn by ECharts. Only the parts a heatmap needs are imported, and this module is
 * loaded with import() when the grid is first shown, so the console's first page stays small.
 */
import { HeatmapChart, type HeatmapSeriesOption } from "echarts/charts";
import {
  GridComponent,
  type GridComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
  VisualMapPiecewiseComponent,
  type VisualMapComponentOption,
} from "echarts/components";
import { type ComposeOption, init, use } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import type { MapRow } from "./countyData";
import { CELL_CLASSES, CELL_COLOURS, CELL_INK, cellClass, columnsOf, GRID, percent } from "./coverageCells";

use([HeatmapChart, GridComponent, TooltipComponent, VisualMapPiecewiseComponent, CanvasRenderer]);

type Option = ComposeOption<
  HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption
>;

export interface HeatmapWords {
  name: (r: { nameZh: string; nameEn: string }) => string;
  classLabel: (i: number) => string;
  usable: string;
  required: string;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Draws the grid into `el`; a click on a cell or a township's name calls `pick` with the region's id. */
export function drawHeatmap(
  el: HTMLElement,
  rows: MapRow[],
  words: HeatmapWords,
  pick: (regionId: string) => void,
) {
  const chart = init(el, undefined, { renderer: "canvas" });
  const items = columnsOf(rows);
  const col = new Map(items.map((it, i) => [it.id, i]));
  // [x, y, class index, ratio]: the visual map colours by class, the label shows the ratio
  const data = rows.flatMap((r, y) =>
    r.cells.map((c) => ({
      value: [col.get(c.item.id)!, y, CELL_CLASSES.indexOf(cellClass(c.status)), c.ratio ?? -1],
      label: { color: CELL_INK[cellClass(c.status)] },
      cell: { row: r, cell: c },
    })),
  );
  const option: Option = {
    animation: false,
    // the page's own CJK font, so the canvas reads like the text around it
    textStyle: { fontFamily: getComputedStyle(el).fontFamily },
    grid: { left: GRID.left, right: GRID.right, top: GRID.top, bottom: GRID.bottom },
    tooltip: {
      trigger: "item",
      confine: true,
      formatter: (p) => {
        const { row, cell } = (p as unknown as { data: (typeof data)[number] }).data.cell;
        const unit = words.name(cell.item.unit);
        return [
          `<b>${escape(words.name(row.region))}</b> · ${escape(words.name(cell.item))}`,
          `${escape(words.classLabel(CELL_CLASSES.indexOf(cellClass(cell.status))))} ${percent(cell.ratio)}`,
          `${escape(words.usable)} ${cell.usable} / ${escape(words.required)} ${cell.required ?? "—"} ${escape(unit)}`,
        ].join("<br>");
      },
    },
    xAxis: {
      type: "category",
      position: "top",
      data: items.map((it) => it.id),
      axisLabel: {
        interval: 0,
        width: GRID.cellWidth - 6,
        overflow: "break",
        formatter: (id: string) => words.name(items[col.get(id)!]!),
      },
      axisTick: { show: false },
      splitArea: { show: false },
    },
    yAxis: {
      type: "category",
      inverse: true,
      triggerEvent: true,
      data: rows.map((r) => r.region.id),
      axisLabel: {
        width: GRID.left - 12,
        overflow: "truncate",
        formatter: (id: string) => words.name(rows.find((r) => r.region.id === id)!.region),
      },
      axisTick: { show: false },
    },
    visualMap: {
      type: "piecewise",
      dimension: 2,
      show: false,
      pieces: CELL_CLASSES.map((c, i) => ({ value: i, color: CELL_COLOURS[c], label: words.classLabel(i) })),
    },
    series: [
      {
        type: "heatmap",
        data,
        label: {
          show: true,
          fontSize: 13,
          formatter: (p) => {
            const ratio = (p.value as number[])[3]!;
            return ratio < 0 ? "—" : percent(ratio);
          },
        },
        itemStyle: { borderColor: "#fff", borderWidth: 2 },
        emphasis: { itemStyle: { borderColor: "#1d2733", borderWidth: 2 } },
      },
    ],
  };
  chart.setOption(option);
  chart.on("click", (p) => {
    if (p.componentType === "series") pick(rows[(p.value as number[])[1]!]!.region.id);
    else if (p.componentType === "yAxis") pick(String(p.value));
  });
  return { resize: () => chart.resize(), dispose: () => chart.dispose() };
}
