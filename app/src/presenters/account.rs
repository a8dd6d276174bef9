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
