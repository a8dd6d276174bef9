//! Coverage: teams, per-system overrides, knowledge levels, and time off.

use crate::error::AppError;
use crate::views::msp::{CoverageView, TimeOffPageView};
use leptos::prelude::*;

/// `/msp/coverage`: every client's team and gaps, the knowledge board, the time-off calendar.
#[server(endpoint = "msp/coverage")]
pub async fn msp_coverage() -> Result<CoverageView, AppError> {
    use super::super::guard;
    use crate::views::msp::StaffOption;
    let staff = guard::staff().await?;
    let b = staff.unscoped().coverage_board().await?;
    let book = staff.time_off_book();
    let techs: Vec<StaffOption> =
        b.techs.iter().map(|t| StaffOption { id: t.id, name: t.name.clone(), role: t.role }).collect();
    let today = domain::time::now().date_naive();
    let days: Vec<chrono::NaiveDate> = (0..28).map(|i| today + chrono::Duration::days(i)).collect();
    let mut calendar: Vec<(String, Vec<bool>)> = Vec::new();
    for off in &b.time_off {
        let away: Vec<bool> = days.iter().map(|d| off.first_day <= *d && *d <= off.last_day).collect();
        if !away.contains(&true) {
            continue;
        }
        match calendar.iter_mut().find(|(name, _)| *name == off.name) {
            Some((_, row)) => row.iter_mut().zip(away).for_each(|(a, b)| *a |= b),
            None => calendar.push((off.name.clone(), away)),
        }
    }
    Ok(CoverageView {
        days: days.iter().map(|d| d.format("%a %-d").to_string()).collect(),
        calendar,
        teams: b.teams.iter().map(crate::presenters::msp::team_line).collect(),
        systems: b.systems.into_iter().map(|s| crate::presenters::msp::coverage::knowledge_row(s, &techs)).collect(),
        time_off: b.time_off.into_iter().map(|t| crate::presenters::msp::coverage::time_off_view(t, &book)).collect(),
        techs,
        can_edit: staff.editor().is_some(),
    })
}

/// Sets a client's primary, backups (in order) and account manager. Empty selects are none.
#[server(endpoint = "msp/team-save")]
pub async fn msp_team_save(
    #[server(default)] client: String,
    #[server(default)] primary: String,
    #[server(default)] backup_1: String,
    #[server(default)] backup_2: String,
    #[server(default)] backup_3: String,
    #[server(default)] account_manager: String,
) -> Result<(), AppError> {
    use super::super::guard;
    use super::optional_id;
    let editor = guard::editor().await?;
    let backups: Vec<i64> = [backup_1, backup_2, backup_3]
        .iter()
        .map(|b| optional_id(b, "backup"))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect();
    editor
        .set_team(
            &client,
            optional_id(&primary, "primary")?,
            &backups,
            optional_id(&account_manager, "account manager")?,
        )
        .await?;
    leptos_axum::redirect(&format!("/msp/clients/{client}#team"));
    Ok(())
}

/// Gives a system coverage of its own; no primary returns it to the client's team.
#[server(endpoint = "msp/system-cover")]
pub async fn msp_system_cover(
    system_id: i64,
    #[server(default)] primary: String,
    #[server(default)] backup_1: String,
    #[server(default)] backup_2: String,
) -> Result<(), AppError> {
    use super::super::guard;
    use super::optional_id;
    let editor = guard::editor().await?;
    let backups: Vec<i64> =
        [optional_id(&backup_1, "backup")?, optional_id(&backup_2, "backup")?].into_iter().flatten().collect();
    let slug = editor.set_system_cover(system_id, optional_id(&primary, "primary")?, &backups).await?;
    leptos_axum::redirect(&format!("/msp/clients/{slug}#team"));
    Ok(())
}

/// Records a tech's knowledge of a system ("" clears it).
#[server(endpoint = "msp/knowledge")]
pub async fn msp_knowledge(system_id: i64, user_id: i64, #[server(default)] level: String) -> Result<(), AppError> {
    use super::super::guard;
    let editor = guard::editor().await?;
    let level = match level.trim() {
        "" => None,
        l => Some(l.parse().map_err(|_| AppError::Invalid("Please choose a knowledge level.".into()))?),
    };
    editor.set_knowledge(system_id, user_id, level).await?;
    leptos_axum::redirect(&format!("/msp/coverage#system-{system_id}"));
    Ok(())
}

/// `/msp/time-off`: the calendar ahead and the gaps it makes.
#[server(endpoint = "msp/time-off")]
pub async fn msp_time_off() -> Result<TimeOffPageView, AppError> {
    use super::super::guard;
    let staff = guard::staff().await?;
    let cal = staff.time_off_calendar().await?;
    let book = staff.time_off_book();
    let people =
        crate::presenters::msp::staff_options(&staff).await?.into_iter().filter(|p| book.may_keep(p.id)).collect();
    Ok(TimeOffPageView {
        entries: cal.entries.into_iter().map(|t| crate::presenters::msp::coverage::time_off_view(t, &book)).collect(),
        gaps: cal.gaps.iter().map(crate::presenters::msp::team_line).collect(),
        people,
        me: staff.user.id,
    })
}

/// Adds time off: one's own, or (admins) anyone's. Overlapping entries merge.
#[server(endpoint = "msp/time-off-add")]
pub async fn msp_time_off_add(
    #[server(default)] user_id: Option<i64>,
    #[server(default)] first_day: String,
    #[server(default)] last_day: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use super::super::guard;
    let staff = guard::staff().await?;
    staff.time_off_book().add_time_off(user_id, &first_day, &last_day, &note).await?;
    leptos_axum::redirect("/msp/time-off?added");
    Ok(())
}

#[server(endpoint = "msp/time-off-remove")]
pub async fn msp_time_off_remove(id: i64) -> Result<(), AppError> {
    use super::super::guard;
    let staff = guard::staff().await?;
    staff.time_off_book().remove_time_off(id).await?;
    leptos_axum::redirect("/msp/time-off");
    Ok(())
}
