//! `/portal/work`: the history of the work done for the client, filtered and paged.

use crate::api::portal::portal_work_history;
use crate::components::feed::FeedItem;
use crate::error::AppError;
use crate::pages::loading::answer_with;
use crate::pages::not_found::NotFound;
use crate::views::WorkQuery;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use vocabulary::Category;

#[component]
pub fn PortalWorkHistory() -> impl IntoView {
    let params = use_query_map();
    let query = move || {
        let p = params.read();
        WorkQuery {
            category: p.get("category"),
            system: p.get("system"),
            from: p.get("from"),
            to: p.get("to"),
            after_hours: p.get("after_hours"),
            q: p.get("q"),
            after: p.get("after"),
        }
    };
    let page = Resource::new(query, portal_work_history);
    view! {
        <Title text="Work history · Limelight"/>
        <main class="page" id="main">
            <h1>"Work history"</h1>
            <p class="lead">"Everything we have done for you, newest first."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let q = query();
                    match page.await {
                        Ok(h) => {
                            let filters = q.filters_query();
                            let csv = format!("/portal/work.csv?{filters}");
                            let older = h.next.clone().map(|n| {
                                let sep = if filters.is_empty() { "" } else { "&" };
                                format!("/portal/work?{filters}{sep}after={n}")
                            });
                            let newest = q.after.is_some().then(|| format!("/portal/work?{filters}"));
                            let empty = h.items.is_empty();
                            view! {
                                <form method="get" action="/portal/work" class="filters" role="search">
                                    <div>
                                        <label for="f-category">"Category"</label>
                                        <select id="f-category" name="category">
                                            <option value="">"All categories"</option>
                                            {Category::ALL.iter().map(|c| {
                                                let selected = q.category.as_deref() == Some(c.as_str());
                                                view! { <option value=c.as_str() selected=selected>{c.label()}</option> }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <div>
                                        <label for="f-system">"System"</label>
                                        <select id="f-system" name="system">
                                            <option value="">"All systems"</option>
                                            {h.systems.iter().map(|s| {
                                                let selected = q.system.as_deref() == Some(s.id.to_string().as_str());
                                                view! { <option value=s.id.to_string() selected=selected>{s.name.clone()}</option> }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <div>
                                        <label for="f-from">"From"</label>
                                        <input id="f-from" name="from" type="date" value=q.from.clone().unwrap_or_default()/>
                                    </div>
                                    <div>
                                        <label for="f-to">"To"</label>
                                        <input id="f-to" name="to" type="date" value=q.to.clone().unwrap_or_default()/>
                                    </div>
                                    <div>
                                        <label for="f-q">"Title contains"</label>
                                        <input id="f-q" name="q" type="search" value=q.q.clone().unwrap_or_default()/>
                                    </div>
                                    <div class="check">
                                        <input id="f-after" name="after_hours" type="checkbox" value="on"
                                            checked=q.after_hours.is_some()/>
                                        <label for="f-after">"After hours only"</label>
                                    </div>
                                    <div class="actions">
                                        <button type="submit" class="primary">"Show"</button>
                                        <a href="/portal/work">"Clear"</a>
                                        <a href=csv download="work-history.csv">"Download CSV"</a>
                                    </div>
                                </form>
                                {empty.then(|| view! {
                                    <p class="empty">"No work matches these filters. Try a wider date range or fewer filters."</p>
                                })}
                                <ul class="feed">
                                    {h.items.into_iter().map(|item| view! { <FeedItem item/> }).collect_view()}
                                </ul>
                                <nav class="pager" aria-label="More work">
                                    {newest.map(|href| view! { <a href=href>"← Newest"</a> })}
                                    {older.map(|href| view! { <a href=href rel="next">"Older work →"</a> })}
                                </nav>
                                <p class="note">"Times are shown in " {h.time_zone.clone()} "."</p>
                            }
                                .into_any()
                        }
                        Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                        Err(e) => {
                            answer_with(&e);
                            view! {
                                <p class="error" role="alert">{e.to_string()}</p>
                                <p><a href="/portal/work">"Show all work"</a></p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}
