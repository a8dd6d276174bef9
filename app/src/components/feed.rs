use crate::views::WorkView;
use leptos::prelude::*;

/// The category's badge: one colour and one icon per category, everywhere. The icons are plain
/// symbols that common system fonts carry (emoji fonts are often missing on office machines).
#[component]
pub fn CategoryBadge(category: vocabulary::Category) -> impl IntoView {
    view! {
        <span class=format!("badge cat-{}", category.as_str())>
            <span class="icon" aria-hidden="true">{icon(category)}</span>
            {category.label()}
        </span>
    }
}

pub fn icon(category: vocabulary::Category) -> &'static str {
    use vocabulary::Category::*;
    match category {
        Maintenance => "⚙",
        Patch => "✚",
        Upgrade => "↑",
        Vendor => "⇄",
        Security => "◈",
        Backup => "⟳",
        Monitoring => "◉",
        Project => "◆",
        Other => "•",
    }
}

/// One item of the behind-the-scenes feed.
#[component]
pub fn FeedItem(item: WorkView) -> impl IntoView {
    let href = format!("/portal/work/{}", item.id);
    let systems = item.systems.join(", ");
    view! {
        <li class="feed-item">
            <CategoryBadge category=item.category/>
            <h3><a href=href>{item.title.clone()}</a></h3>
            {(!item.why_it_matters.is_empty()).then(|| view! { <p class="why">{item.why_it_matters.clone()}</p> })}
            <p class="meta">
                <time datetime=item.when_iso.clone()>{item.when.clone()}</time>
                {item.after_hours.then(|| view! { <span class="after-hours">" · after hours"</span> })}
                {(!systems.is_empty()).then(|| view! { <span>" · " {systems.clone()}</span> })}
                {if item.automated {
                    view! { <span class="automated">" · recorded automatically"</span> }.into_any()
                } else {
                    view! { <span>" · by " {item.performed_by.clone()}</span> }.into_any()
                }}
            </p>
        </li>
    }
}
