use super::*;
use crate::booking::DEMO_OFFICE;

#[test]
fn the_demo_office_is_valid_and_big_enough_to_show_off() {
    let office = Office::parse(DEMO_OFFICE).unwrap();
    assert!(office.departments.len() >= 3);
    assert!(office.services.len() >= 8);
    assert!(office.clerks.len() >= 4);
    assert!(office.clerk(ruma::user_id!("@urzednik:localhost")).is_some());
    assert_eq!(office.time_zone(), chrono_tz::Europe::Warsaw);
    assert_eq!(office.reminder_offsets(), [Duration::days(1), Duration::hours(1)]);
}

#[test]
fn defaults_are_fourteen_days_closing_the_day_before_and_reminders_a_day_and_an_hour_before() {
    let rules = BookingRules::default();
    assert_eq!((rules.window_days, rules.close_days_before), (14, 1));
    assert_eq!(Reminders::default().offsets, ["1d", "1h"]);
}

fn error_of(source: &str) -> OfficeError {
    Office::parse(source).unwrap_err()
}

#[test]
fn an_unknown_department_is_reported_with_its_key_and_line() {
    let source = DEMO_OFFICE.replacen("department = \"komunikacja\"", "department = \"komunikajca\"", 1);
    let expected_line = source.lines().position(|l| l.contains("komunikajca")).unwrap() + 1;
    match error_of(&source) {
        OfficeError::Invalid { key, line, problem } => {
            assert_eq!(key, "services[3].department");
            assert_eq!(line, expected_line);
            assert_eq!(problem, OfficeProblem::UnknownDepartment("komunikajca".to_owned()));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_bad_hour_in_an_inline_plan_names_the_day_and_the_line() {
    let source = DEMO_OFFICE.replacen("friday = [\"08:00-14:00\"]", "friday = [\"08:00-25:00\"]", 1);
    let expected_line = source.lines().position(|l| l.contains("25:00")).unwrap() + 1;
    let error = error_of(&source);
    assert_eq!(
        error.to_string(),
        format!(
            "line {expected_line}, key `clerks[0].plan.friday[0]`: \"25:00\" is not an hour such as \"08:00\""
        )
    );
}

#[test]
fn syntax_errors_and_unknown_keys_say_where() {
    let error = error_of("[office]\nname = \"Gmina\"\ntime_zone = \n").to_string();
    assert!(error.contains("line 3"), "{error}");
    let error = error_of(&DEMO_OFFICE.replacen("slot_step = 15", "slot_stpe = 15", 1)).to_string();
    assert!(error.contains("slot_stpe"), "{error}");
}

#[test]
fn a_ten_megabyte_file_is_refused_before_parsing() {
    let huge = format!("{DEMO_OFFICE}\n#{}", "x".repeat(10 * 1024 * 1024));
    assert!(matches!(error_of(&huge), OfficeError::TooLarge { .. }));
}

#[test]
fn overlapping_hours_time_zones_grids_and_offsets_are_checked() {
    let cases = [
        (
            "breaks = [\"12:00-12:30\"] }",
            "breaks = [\"12:00-12:30\", \"12:15-12:45\"] }",
            "clerks[0].plan.breaks[1]",
        ),
        ("time_zone = \"Europe/Warsaw\"", "time_zone = \"Europe/Warszawa\"", "office.time_zone"),
        ("duration = 20\nbuffer_after = 5", "duration = 22\nbuffer_after = 5", "services[0].duration"),
        ("offsets = [\"1d\", \"1h\"]", "offsets = [\"1d\", \"jutro\"]", "reminders.offsets[1]"),
        ("to = \"2026-12-31\"", "to = \"2026-12-01\"", "exceptions[0].to"),
    ];
    for (from, to, key) in cases {
        let source = DEMO_OFFICE.replacen(from, to, 1);
        assert_ne!(source, DEMO_OFFICE, "{from}");
        match error_of(&source) {
            OfficeError::Invalid { key: got, .. } => assert_eq!(got, key),
            other => panic!("{from}: unexpected {other:?}"),
        }
    }
}

#[test]
fn offsets_parse_days_hours_and_minutes() {
    assert_eq!(parse_offset("1d"), Ok(Duration::days(1)));
    assert_eq!(parse_offset("1h30m"), Ok(Duration::minutes(90)));
    assert!(parse_offset("").is_err());
    assert!(parse_offset("0h").is_err());
    assert!(parse_offset("5").is_err());
}

fn info(name: &str) -> OfficeInfo {
    OfficeInfo {
        name: name.to_owned(),
        name_genitive: None,
        name_locative: None,
        time_zone: "Europe/Warsaw".into(),
    }
}

#[test]
fn an_office_name_is_declined_by_its_leading_words() {
    let cases = [
        ("Urząd Gminy Przykładowo", "Urzędu Gminy Przykładowo", "Urzędzie Gminy Przykładowo"),
        ("Urząd Miejski w Gdańsku", "Urzędu Miejskiego w Gdańsku", "Urzędzie Miejskim w Gdańsku"),
        (
            "Starostwo Powiatowe w Poznaniu",
            "Starostwa Powiatowego w Poznaniu",
            "Starostwie Powiatowym w Poznaniu",
        ),
        ("Urząd Skarbowy", "Urzędu Skarbowego", "Urzędzie Skarbowym"),
        ("Urząd Stanu Cywilnego", "Urzędu Stanu Cywilnego", "Urzędzie Stanu Cywilnego"),
        (
            "Gminny Ośrodek Pomocy Społecznej",
            "Gminnego Ośrodka Pomocy Społecznej",
            "Gminnym Ośrodku Pomocy Społecznej",
        ),
        ("Urząd Testowy", "Urzędu Testowego", "Urzędzie Testowym"),
    ];
    for (name, genitive, locative) in cases {
        assert_eq!(info(name).genitive(), genitive);
        assert_eq!(info(name).locative(Lang::Pl), locative);
    }
}

#[test]
fn a_name_that_cannot_be_declined_is_not_pretended_to_be() {
    assert_eq!(info("Gmina Testowo").genitive(), "urzędu Gmina Testowo");
    assert_eq!(info("Gmina Testowo").locative(Lang::Pl), "urzędzie");
    assert_eq!(info("Gmina Testowo").locative(Lang::En), "Gmina Testowo");
}

#[test]
fn the_office_file_gives_its_own_forms() {
    let mut office = info("Urząd Gminy i Miasta Nowe Warpno");
    office.name_genitive = Some("Urzędu Gminy i Miasta Nowe Warpno".into());
    office.name_locative = Some("Urzędzie Gminy i Miasta Nowe Warpno".into());
    assert_eq!(office.genitive(), "Urzędu Gminy i Miasta Nowe Warpno");
    assert_eq!(office.locative(Lang::Pl), "Urzędzie Gminy i Miasta Nowe Warpno");
}

/// The typed problems read as the office file's author was told before they were typed.
#[test]
fn problems_are_said_in_the_words_an_office_file_author_reads() {
    let said = [
        (OfficeProblem::OutOfRange { min: 1, max: 3650, unit: " days" }, "must be between 1 and 3650 days"),
        (OfficeProblem::OutOfRange { min: 1, max: 9, unit: "" }, "must be between 1 and 9"),
        (
            OfficeProblem::DefinedTwice { kind: "service", id: "meldunek".into() },
            "service \"meldunek\" is defined twice",
        ),
        (
            OfficeProblem::Overlaps("12:15-12:45".into(), "12:00-12:30".into()),
            "\"12:15-12:45\" overlaps \"12:00-12:30\"",
        ),
        (OfficeProblem::OffTheGrid, "must be a multiple of 5 minutes"),
        (
            OfficeProblem::NotADuration("jutro".into()),
            "\"jutro\" is not a duration such as \"1d\", \"1h\" or \"30m\"",
        ),
        (
            OfficeProblem::ListedTwice(ruma::owned_user_id!("@ewa:localhost")),
            "@ewa:localhost is listed twice",
        ),
    ];
    for (problem, text) in said {
        assert_eq!(problem.to_string(), text);
    }
}
