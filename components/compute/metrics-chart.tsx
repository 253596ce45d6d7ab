"use client";
// A small SVG line chart for monitoring: one or more series over time, axes with a few ticks, a
// hover readout. No chart library: the console draws the six instance charts itself.
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { cn } from "@/components/ui";
import type { MetricSeries } from "./types";

const H = 160;
const PAD = { top: 10, right: 12, bottom: 22, left: 44 };
const COLORS = ["stroke-sky-500", "stroke-violet-500", "stroke-emerald-500", "stroke-amber-500"];
const FILLS = ["fill-sky-500", "fill-violet-500", "fill-emerald-500", "fill-amber-500"];

/** Epoch ms; seconds (Prometheus' own unit) are recognised by their size. */
export function toMs(t: number): number {
  return t < 1e12 ? t * 1000 : t;
}

/** "1.2 k", "35 %", "4.1 MB/s": compact values for axes and the readout. */
export function formatValue(v: number, unit: string): string {
  if (!Number.isFinite(v)) return "—";
  if (v === 0)
    return /^(B|bytes)/i.test(unit.trim())
      ? `0 B${/(\/s|_per_second)$/.test(unit) ? "/s" : ""}`
      : unit === "percent" || unit === "%"
        ? "0 %"
        : "0";
  const u = unit.trim();
  if (u === "%" || u === "percent") return `${v >= 10 ? Math.round(v) : v.toFixed(1)} %`;
  const bytes = /^(B|bytes)(\/s|_per_second)?$/i.exec(u);
  if (bytes) {
    const units = ["B", "KB", "MB", "GB", "TB"];
    let x = Math.abs(v);
    let i = 0;
    while (x >= 1024 && i < units.length - 1) {
      x /= 1024;
      i++;
    }
    return `${x >= 100 || i === 0 ? Math.round(x) : x.toFixed(1)} ${units[i]}${bytes[2] ? "/s" : ""}`;
  }
  const abs = Math.abs(v);
  const s =
    abs >= 1e6
      ? `${(v / 1e6).toFixed(1)} M`
      : abs >= 1e3
        ? `${(v / 1e3).toFixed(1)} k`
        : abs >= 10
          ? String(Math.round(v))
          : v.toFixed(2);
  return u ? `${s} ${u}` : s;
}

/** Runs of samples without a missing value. */
export function splitAtGaps(points: { t: number; v: number | null }[]): { t: number; v: number }[][] {
  const out: { t: number; v: number }[][] = [];
  let run: { t: number; v: number }[] = [];
  for (const p of [...points].sort((a, b) => a.t - b.t)) {
    if (p.v === null || !Number.isFinite(p.v)) {
      if (run.length) out.push(run);
      run = [];
    } else run.push({ t: p.t, v: p.v });
  }
  if (run.length) out.push(run);
  return out;
}

/** The axis top: a round number, in powers of 1024 for bytes so the labels read 512 MB, not 477 MB. */
export function axisMax(max: number, unit: string): number {
  if (!/^(B|bytes)/i.test(unit.trim()) || max < 1024) return niceMax(max);
  const scale = Math.pow(1024, Math.floor(Math.log(max) / Math.log(1024)));
  return niceMax(max / scale) * scale;
}

export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const exp = Math.pow(10, Math.floor(Math.log10(max)));
  const f = max / exp;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * exp;
}

const timeFmt = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });
const dayFmt = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" });

export function LineChart({
  title,
  unit,
  series,
  fixedMax,
  domain,
  className,
}: {
  title: string;
  unit: string;
  series: MetricSeries[];
  /** The time range asked for (epoch ms), so a short series is drawn where it belongs. */
  domain?: { start: number; end: number };
  /** Fixed top of the y axis (100 for percentages). */
  fixedMax?: number;
  className?: string;
}) {
  const clipId = useId();
  // Drawn at the element's own pixel width, so text and strokes are never stretched.
  const [W, setW] = useState(480);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      if (entry) setW(Math.max(200, Math.round(entry.contentRect.width)));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const [hover, setHover] = useState<number | null>(null);
  const data = useMemo(
    () =>
      series.map((s) => ({
        name: Object.values(s.labels).join(" ") || title,
        points: s.points
          .map((p) => ({ t: toMs(p.t), v: p.v }))
          .filter(
            (p): p is { t: number; v: number } =>
              Number.isFinite(p.t) && p.v !== null && Number.isFinite(p.v),
          )
          .sort((a, b) => a.t - b.t),
        // Missing samples (null) split the line instead of being bridged.
        segments: splitAtGaps(s.points.map((p) => ({ t: toMs(p.t), v: p.v }))),
      })),
    [series, title],
  );
  const all = data.flatMap((s) => s.points);
  const empty = all.length < 2;
  const t0 = domain?.start ?? (empty ? 0 : Math.min(...all.map((p) => p.t)));
  const t1 = domain?.end ?? (empty ? 1 : Math.max(...all.map((p) => p.t)));
  const vmax = fixedMax ?? axisMax(Math.max(0, ...all.map((p) => p.v)), unit);
  const x = (t: number) => PAD.left + ((t - t0) / Math.max(1, t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (Math.min(v, vmax) / vmax) * (H - PAD.top - PAD.bottom);
  const spanDays = (t1 - t0) / 86_400_000 > 1.5;
  const ticksX = empty ? [] : [0, 1 / 3, 2 / 3, 1].map((f) => t0 + f * (t1 - t0));
  const ticksY = [0, 0.5, 1].map((f) => f * vmax);

  const onMove = (e: React.MouseEvent<SVGSVGElement>) => {
    if (empty) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const px = ((e.clientX - rect.left) / rect.width) * W;
    const t = t0 + ((px - PAD.left) / (W - PAD.left - PAD.right)) * (t1 - t0);
    setHover(Math.max(t0, Math.min(t1, t)));
  };
  const nearest = (pts: { t: number; v: number }[], t: number) =>
    pts.reduce<{ t: number; v: number } | null>(
      (best, p) => (!best || Math.abs(p.t - t) < Math.abs(best.t - t) ? p : best),
      null,
    );
  const readout = hover !== null ? data.map((s) => ({ name: s.name, p: nearest(s.points, hover) })) : null;
  const latest = data.map((s) => s.points.at(-1)?.v);

  return (
    <figure
      className={cn("flex flex-col gap-2 rounded-lg border border-border bg-surface px-4 py-3", className)}
    >
      <figcaption className="flex items-baseline justify-between gap-2">
        <span className="text-sm font-medium">{title}</span>
        <span className="text-xs text-muted-foreground tabular-nums">
          {readout && readout[0]?.p
            ? `${(spanDays ? dayFmt : timeFmt).format(readout[0].p.t)} ${spanDays ? timeFmt.format(readout[0].p.t) : ""} · ${readout.map((r) => (r.p ? formatValue(r.p.v, unit) : "—")).join(" / ")}`
            : latest[0] !== undefined
              ? `now ${latest.map((v) => (v === undefined ? "—" : formatValue(v, unit))).join(" / ")}`
              : ""}
        </span>
      </figcaption>
      <div ref={box}>
        {empty ? (
          <div className="flex h-40 items-center justify-center text-sm text-muted-foreground">
            No data for this range
          </div>
        ) : (
          <svg
            viewBox={`0 0 ${W} ${H}`}
            className="h-40 w-full overflow-visible"
            role="img"
            aria-label={`${title}: ${data.map((s, i) => `${s.name} latest ${latest[i] === undefined ? "none" : formatValue(latest[i], unit)}`).join("; ")}`}
            onMouseMove={onMove}
            onMouseLeave={() => setHover(null)}
          >
            <defs>
              <clipPath id={clipId}>
                <rect
                  x={PAD.left}
                  y={PAD.top - 2}
                  width={W - PAD.left - PAD.right}
                  height={H - PAD.top - PAD.bottom + 4}
                />
              </clipPath>
            </defs>
            {ticksY.map((v) => (
              <g key={v}>
                <line
                  x1={PAD.left}
                  x2={W - PAD.right}
                  y1={y(v)}
                  y2={y(v)}
                  className="stroke-border"
                  strokeDasharray={v === 0 ? undefined : "3 3"}
                />
                <text
                  x={PAD.left - 6}
                  y={y(v) + 3}
                  textAnchor="end"
                  className="fill-muted-foreground text-[10px]"
                >
                  {formatValue(v, unit)}
                </text>
              </g>
            ))}
            {ticksX.map((t, i) => (
              <text
                key={t}
                x={x(t)}
                y={H - 6}
                textAnchor={i === 0 ? "start" : i === ticksX.length - 1 ? "end" : "middle"}
                className="fill-muted-foreground text-[10px]"
              >
                {(spanDays ? dayFmt : timeFmt).format(t)}
              </text>
            ))}
            <g clipPath={`url(#${clipId})`}>
              {data.map((s, i) => {
                if (s.points.length === 0) return null;
                const line = (seg: { t: number; v: number }[]) =>
                  seg.map((p, j) => `${j ? "L" : "M"}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join("");
                const d = s.segments.map(line).join("");
                const area = s.segments
                  .filter((seg) => seg.length > 1)
                  .map(
                    (seg) =>
                      `${line(seg)}L${x(seg.at(-1)!.t).toFixed(1)},${y(0)}L${x(seg[0]!.t).toFixed(1)},${y(0)}Z`,
                  )
                  .join("");
                return (
                  <g key={s.name + i}>
                    {data.length === 1 && area ? (
                      <path d={area} className={cn(FILLS[i % FILLS.length], "opacity-10")} />
                    ) : null}
                    <path d={d} fill="none" strokeWidth={1.5} className={COLORS[i % COLORS.length]} />
                  </g>
                );
              })}
            </g>
            {hover !== null ? (
              <line
                x1={x(hover)}
                x2={x(hover)}
                y1={PAD.top}
                y2={H - PAD.bottom}
                className="stroke-border-strong"
              />
            ) : null}
          </svg>
        )}
      </div>
      {data.length > 1 ? (
        <ul className="flex flex-wrap gap-3 text-xs text-muted-foreground">
          {data.map((s, i) => (
            <li key={s.name + i} className="flex items-center gap-1.5">
              <svg className="size-2" aria-hidden="true" viewBox="0 0 8 8">
                <circle cx="4" cy="4" r="4" className={FILLS[i % FILLS.length]} />
              </svg>
              {s.name}
            </li>
          ))}
        </ul>
      ) : null}
    </figure>
  );
}
