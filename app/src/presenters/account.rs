use crate::views::SessionView;
use domain::auth::session::SessionInfo;

/// "Firefox on Windows", from a User-Agent header: enough to recognise one's own devices.
pub fn device(ua: &str) -> String {
    let browser = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
        .iter()
        .find(|(k, _)| ua.contains(k))
        .map_or("A browser", |(_, n)| n);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(k, _)| ua.contains(k))
    .map(|(_, n)| *n);
    match system {
        Some(s) => format!("{browser} on {s}"),
        None if ua.is_empty() => "An unknown device".to_string(),
        None => browser.to_string(),
    }
}

pub fn session_view(s: SessionInfo, tz: chrono_tz::Tz, current: i64) -> SessionView {
    SessionView {
        id: s.id,
        device: device(s.user_agent.as_deref().unwrap_or_default()),
        ip: s.ip.unwrap_or_else(|| "unknown".into()),
        signed_in: s.created_at.with_timezone(&tz).format("%a %-d %b %Y, %H:%M").to_string(),
        last_seen: s.last_seen_at.with_timezone(&tz).format("%a %-d %b %Y, %H:%M").to_string(),
        current: s.id == current,
    }
}
