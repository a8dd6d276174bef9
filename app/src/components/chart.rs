//! The 12-month chart of work by category: SVG drawn on the server, so it is in the HTML without
//! JavaScript, with a title, a description and the same numbers as a table for screen readers.

use crate::views::ChartView;
use leptos::prelude::*;

const WIDTH: i64 = 720;
const HEIGHT: i64 = 220;
const LEFT: i64 = 32;
const BOTTOM: i64 = 24;

#[component]
pub fn WorkChart(chart: ChartView) -> impl IntoView {
    let months = chart.months.len().max(1) as i64;
    let totals: Vec<i64> = (0..chart.months.len()).map(|i| chart.series.iter().map(|(_, v)| v[i]).sum()).collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1);
    let slot = (WIDTH - LEFT) / months;
    let bar = slot * 6 / 10;
    let plot = HEIGHT - BOTTOM;
    // Stacked bars: one rect per category per month, bottom up.
    let mut rects = Vec::new();
    for i in 0..chart.months.len() {
        let mut y = plot;
        for (category, values) in &chart.series {
            let h = values[i] * (plot - 8) / max;
            if h > 0 {
                y -= h;
                rects.push((LEFT + i as i64 * slot + (slot - bar) / 2, y, bar, h, *category, values[i]));
            }
        }
    }
    let busiest = chart.months.iter().zip(&totals).max_by_key(|(_, t)| **t).map(|(m, t)| format!("{} ({t})", m.1));
    let description = format!(
        "Pieces of work per month over the last twelve months, by category. Busiest month: {}.",
        busiest.unwrap_or_else(|| "none".into())
    );
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby="chart-title chart-desc">
                <title id="chart-title">"Work by category, last 12 months"</title>
                <desc id="chart-desc">{description}</desc>
                <line x1=LEFT y1=plot x2=WIDTH y2=plot class="axis"/>
                <text x="0" y="12" class="tick">{max}</text>
                {rects.into_iter().map(|(x, y, w, h, c, n)| view! {
                    <rect x=x y=y width=w height=h class=format!("fill-{}", c.as_str())>
                        <title>{format!("{}: {n}", c.label())}</title>
                    </rect>
                }).collect_view()}
                {chart.months.iter().enumerate().map(|(i, (short, _))| view! {
                    <text x=LEFT + i as i64 * slot + slot / 2 y=HEIGHT - 6 class="tick" text-anchor="middle">{short.clone()}</text>
                }).collect_view()}
            </svg>
            <figcaption>
                <ul class="legend">
                    {chart.series.iter().map(|(c, _)| view! {
                        <li><span class=format!("swatch fill-{}", c.as_str()) aria-hidden="true"></span>{c.label()}</li>
                    }).collect_view()}
                </ul>
            </figcaption>
            // The figures for screen readers. A table takes its content's width whatever its own
            // says, so the hiding box is a div around it: otherwise the page scrolls sideways on
            // a phone.
            <div class="visually-hidden">
            <table>
                <caption>"Pieces of work per month by category"</caption>
                <thead><tr><th scope="col">"Month"</th>
                    {chart.series.iter().map(|(c, _)| view! { <th scope="col">{c.label()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {chart.months.iter().enumerate().map(|(i, (_, full))| view! {
                        <tr><th scope="row">{full.clone()}</th>
                            {chart.series.iter().map(|(_, v)| view! { <td>{v[i]}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </figure>
    }
}
