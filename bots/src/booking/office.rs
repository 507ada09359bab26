//! The office file: departments, services, clerks and their working plans, exceptions, the
//! booking window and reminders. Parsed from TOML and checked as a whole; every error names the
//! key and the line, so that an office administrator can fix the file without reading code.

use std::{collections::HashSet, fmt};

use chrono::{Duration, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use ruma::{OwnedRoomId, OwnedUserId, UserId};
use serde::{Deserialize, Serialize};

use crate::Lang;

/// Office files are a few kilobytes; anything near this is a mistake, refused before parsing.
pub const MAX_OFFICE_FILE_BYTES: usize = 1024 * 1024;

/// Every visit starts and ends on this grid, so that the store can claim time in whole blocks.
pub const GRID_MINUTES: u32 = 5;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    pub office: OfficeInfo,
    pub departments: Vec<Department>,
    pub services: Vec<Service>,
    pub clerks: Vec<Clerk>,
    #[serde(default)]
    pub exceptions: Vec<Exception>,
    #[serde(default)]
    pub booking: BookingRules,
    #[serde(default)]
    pub reminders: Reminders,
    /// Support staff who take over what the bot cannot answer; no helpdesk if left out.
    #[serde(default)]
    pub helpdesk: Option<crate::helpdesk::HelpdeskSettings>,
    /// Who publishes courses; no courses if left out.
    #[serde(default)]
    pub courses: Option<crate::courses::CourseSettings>,
    /// The time zone, parsed once by [`Office::parse`].
    #[serde(skip)]
    parsed_time_zone: Option<Tz>,
    /// The services' names for fuzzy matching, built once by [`Office::parse`].
    #[serde(skip)]
    service_names: szpon_nlp::Gazetteer,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeInfo {
    pub name: String,
    /// The name in the genitive ("Urzędu Gminy Przykładowo"), as in "asystent Urzędu…"; when
    /// left out, the usual leading words of an office's name are declined by [`declined`].
    #[serde(default)]
    pub name_genitive: Option<String>,
    /// The name in the locative ("Urzędzie Gminy Przykładowo"), as in "wizyta w Urzędzie…".
    #[serde(default)]
    pub name_locative: Option<String>,
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
}

impl OfficeInfo {
    /// "asystent { genitive }": the office's own form, else its declined leading words, else
    /// the plain name after the word "urzędu".
    pub fn genitive(&self) -> String {
        self.name_genitive.clone().unwrap_or_else(|| genitive_of(&self.name))
    }

    /// "w { locative }" in Polish ("w Urzędzie Gminy…", else "w urzędzie"); in English the
    /// name as it is.
    pub fn locative(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.name.clone();
        }
        self.name_locative
            .clone()
            .or_else(|| declined(&self.name, Case::Locative))
            .unwrap_or_else(|| "urzędzie".to_owned())
    }
}

#[derive(Clone, Copy)]
enum Case {
    Genitive,
    Locative,
}

/// The nouns an office's name starts with ("Urząd", "Starostwo", "Ośrodek"), with their
/// genitive and locative. The adjectives beside them are declined by their endings; what
/// follows ("Gminy Przykładowo", "w Poznaniu") is already in its own case and stays.
const OFFICE_NOUNS: [(&str, &str, &str); 9] = [
    ("Urząd", "Urzędu", "Urzędzie"),
    ("Starostwo", "Starostwa", "Starostwie"),
    ("Ośrodek", "Ośrodka", "Ośrodku"),
    ("Zarząd", "Zarządu", "Zarządzie"),
    ("Biuro", "Biura", "Biurze"),
    ("Centrum", "Centrum", "Centrum"),
    ("Kancelaria", "Kancelarii", "Kancelarii"),
    ("Wydział", "Wydziału", "Wydziale"),
    ("Referat", "Referatu", "Referacie"),
];

/// Endings of the masculine and neuter adjectives in offices' names: "Skarbowy",
/// "Powiatowe", "Miejski", "Wojewódzki", "Gminny" (but not the noun "Gminy").
const ADJECTIVE_ENDINGS: [&str; 10] =
    ["owy", "owe", "ski", "skie", "cki", "ckie", "zki", "zkie", "nny", "nne"];

fn declined_word(word: &str, case: Case) -> Option<String> {
    if let Some((_, genitive, locative)) = OFFICE_NOUNS.iter().find(|(nominative, ..)| *nominative == word) {
        return Some(match case {
            Case::Genitive => (*genitive).to_owned(),
            Case::Locative => (*locative).to_owned(),
        });
    }
    if !ADJECTIVE_ENDINGS.iter().any(|ending| word.ends_with(ending)) {
        return None;
    }
    let stem = word.strip_suffix('y').or_else(|| word.strip_suffix('e')).unwrap_or(word);
    Some(match (case, stem.ends_with('i')) {
        (Case::Genitive, _) => format!("{stem}ego"),
        (Case::Locative, true) => format!("{stem}m"),
        (Case::Locative, false) => format!("{stem}ym"),
    })
}

/// An office's name in the genitive, from its declined leading words, else the plain name
/// after the word "urzędu" ("asystent urzędu Gmina Przykładowo" rather than a wrong case).
pub fn genitive_of(name: &str) -> String {
    declined(name, Case::Genitive).unwrap_or_else(|| format!("urzędu {name}"))
}

/// The name with its leading declinable words in `case`, or `None` when it does not start
/// with one (then a sentence must not pretend to decline it).
fn declined(name: &str, case: Case) -> Option<String> {
    let mut words = name.split(' ').peekable();
    let mut out = Vec::new();
    while let Some(word) = words.peek().and_then(|word| declined_word(word, case)) {
        out.push(word);
        words.next();
    }
    if out.is_empty() {
        return None;
    }
    out.extend(words.map(str::to_owned));
    Some(out.join(" "))
}

fn default_time_zone() -> String {
    "Europe/Warsaw".to_owned()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    /// The clerks' room told of new, moved and cancelled visits.
    pub room: Option<OwnedRoomId>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub department: String,
    /// Minutes of the visit itself.
    pub duration: u32,
    /// Minutes kept free before the visit (preparing the case).
    #[serde(default)]
    pub buffer_before: u32,
    /// Minutes kept free after the visit (paperwork).
    #[serde(default)]
    pub buffer_after: u32,
    #[serde(default)]
    pub documents: Vec<String>,
    #[serde(default)]
    pub documents_en: Vec<String>,
    #[serde(default)]
    pub online: bool,
    /// Other words citizens use for the service ("dowód" for "Dowód osobisty").
    #[serde(default)]
    pub keywords: Vec<String>,
}

impl Service {
    pub fn name_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.name_en,
            _ => &self.name,
        }
    }

    pub fn documents_in(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En if !self.documents_en.is_empty() => &self.documents_en,
            _ => &self.documents,
        }
    }

    /// The time the visit takes from the clerk's day, buffers included.
    pub fn occupied_minutes(&self) -> u32 {
        self.buffer_before + self.duration + self.buffer_after
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clerk {
    pub user_id: OwnedUserId,
    pub name: String,
    pub departments: Vec<String>,
    /// Where citizens go: "pokój 12", "stanowisko 3".
    pub desk: String,
    /// How the call to the desk reads after "Zapraszamy": "do pokoju 12". If left out, the
    /// desk is named as it is.
    pub call_to: Option<String>,
    pub plan: WeekPlan,
    /// The plan with its hours parsed once, filled in by [`Office::parse`].
    #[serde(skip)]
    pub(crate) parsed_plan: Option<ParsedPlan>,
}

/// A week plan's hours, parsed: working ranges per weekday (Monday first) with the breaks
/// already taken out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedPlan {
    pub days: [Vec<TimeRange>; 7],
}

impl ParsedPlan {
    pub fn from_plan(plan: &WeekPlan) -> Self {
        let breaks = parse_all(&plan.breaks);
        let mut parsed = ParsedPlan::default();
        for (i, (_, ranges)) in plan.days().into_iter().enumerate() {
            parsed.days[i] = without_breaks(parse_all(ranges), &breaks);
        }
        parsed
    }
}

pub(crate) fn parse_all(ranges: &[String]) -> Vec<TimeRange> {
    ranges.iter().filter_map(|r| TimeRange::parse(r).ok()).collect()
}

/// Working ranges with the breaks taken out, in order.
pub(crate) fn without_breaks(mut ranges: Vec<TimeRange>, breaks: &[TimeRange]) -> Vec<TimeRange> {
    for pause in breaks {
        ranges = ranges.into_iter().flat_map(|range| subtract(range, *pause)).collect();
    }
    ranges.sort();
    ranges
}

fn subtract(range: TimeRange, pause: TimeRange) -> Vec<TimeRange> {
    if pause.end <= range.start || range.end <= pause.start {
        return vec![range];
    }
    let mut parts = Vec::new();
    if range.start < pause.start {
        parts.push(TimeRange { start: range.start, end: pause.start });
    }
    if pause.end < range.end {
        parts.push(TimeRange { start: pause.end, end: range.end });
    }
    parts
}

/// Working hours per weekday ("08:00-16:00", or several ranges) and daily breaks.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeekPlan {
    #[serde(default)]
    pub monday: Vec<String>,
    #[serde(default)]
    pub tuesday: Vec<String>,
    #[serde(default)]
    pub wednesday: Vec<String>,
    #[serde(default)]
    pub thursday: Vec<String>,
    #[serde(default)]
    pub friday: Vec<String>,
    #[serde(default)]
    pub saturday: Vec<String>,
    #[serde(default)]
    pub sunday: Vec<String>,
    #[serde(default)]
    pub breaks: Vec<String>,
}

impl WeekPlan {
    pub fn day(&self, weekday: Weekday) -> &[String] {
        match weekday {
            Weekday::Mon => &self.monday,
            Weekday::Tue => &self.tuesday,
            Weekday::Wed => &self.wednesday,
            Weekday::Thu => &self.thursday,
            Weekday::Fri => &self.friday,
            Weekday::Sat => &self.saturday,
            Weekday::Sun => &self.sunday,
        }
    }

    fn days(&self) -> [(&'static str, &[String]); 7] {
        [
            ("monday", &self.monday),
            ("tuesday", &self.tuesday),
            ("wednesday", &self.wednesday),
            ("thursday", &self.thursday),
            ("friday", &self.friday),
            ("saturday", &self.saturday),
            ("sunday", &self.sunday),
        ]
    }
}

/// A dated change to a clerk's plan: leave, or other hours (extra or shorter) for some days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    pub clerk: OwnedUserId,
    pub from: NaiveDate,
    /// The last day, inclusive; the same day as `from` if left out.
    pub to: Option<NaiveDate>,
    pub kind: ExceptionKind,
    /// The hours worked on those days, for `kind = "hours"`.
    #[serde(default)]
    pub hours: Vec<String>,
}

/// Kept in `exceptions`, as set in chat.
impl crate::durable::Durable for Exception {}

impl Exception {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to.unwrap_or(self.from)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExceptionKind {
    Leave,
    Hours,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BookingRules {
    /// How many days ahead a visit can be booked.
    pub window_days: u32,
    /// Booking for a day closes this many days before it (1: the day before).
    pub close_days_before: u32,
    /// Minutes between the start times offered.
    pub slot_step: u32,
    /// How many free times the bot offers at once.
    pub offers: usize,
    /// Minutes after which an unfinished dialogue expires.
    pub dialogue_timeout: u32,
    /// Minutes after the start at which a visit not checked in may be marked a no-show.
    pub late_after: u32,
    /// How many booked visits one citizen may hold at once: one person must not be able to
    /// take a whole day's times.
    pub max_active_visits: u32,
}

impl Default for BookingRules {
    fn default() -> Self {
        Self {
            window_days: 14,
            close_days_before: 1,
            slot_step: 15,
            offers: 5,
            dialogue_timeout: 30,
            late_after: 10,
            max_active_visits: 3,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Reminders {
    /// How long before the visit reminders go out: "1d", "1h", "30m".
    pub offsets: Vec<String>,
}

impl Default for Reminders {
    fn default() -> Self {
        Self { offsets: vec!["1d".to_owned(), "1h".to_owned()] }
    }
}

/// A range of the working day, in local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeRange {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl TimeRange {
    pub fn parse(text: &str) -> Result<Self, OfficeProblem> {
        let (start, end) = text.split_once('-').ok_or_else(|| OfficeProblem::NotARange(text.to_owned()))?;
        let time = |t: &str| {
            NaiveTime::parse_from_str(t.trim(), "%H:%M")
                .map_err(|_| OfficeProblem::NotAnHour(t.trim().to_owned()))
        };
        let (start, end) = (time(start)?, time(end)?);
        if start >= end {
            return Err(OfficeProblem::EndsBeforeItStarts(text.to_owned()));
        }
        for t in [start, end] {
            if !chrono::Timelike::minute(&t).is_multiple_of(GRID_MINUTES) {
                return Err(OfficeProblem::HoursOffTheGrid(text.to_owned()));
            }
        }
        Ok(Self { start, end })
    }
}

/// Parses "1d", "2h", "30m" (and combinations such as "1h30m").
pub fn parse_offset(text: &str) -> Result<Duration, OfficeProblem> {
    let bad = || OfficeProblem::NotADuration(text.to_owned());
    let mut total = Duration::zero();
    let mut number = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().map_err(|_| bad())?;
        number.clear();
        total += match c {
            'd' => Duration::days(n),
            'h' => Duration::hours(n),
            'm' => Duration::minutes(n),
            _ => return Err(bad()),
        };
    }
    if !number.is_empty() || total <= Duration::zero() {
        return Err(bad());
    }
    Ok(total)
}

/// One step of a key path such as `services[2].department`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyPart {
    Key(String),
    Index(usize),
}

/// A key path into the office file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<KeyPart>);

impl KeyPath {
    fn key(&self, key: &str) -> Self {
        let mut parts = self.0.clone();
        parts.push(KeyPart::Key(key.to_owned()));
        Self(parts)
    }

    fn index(&self, index: usize) -> Self {
        let mut parts = self.0.clone();
        parts.push(KeyPart::Index(index));
        Self(parts)
    }
}

fn root(key: &str) -> KeyPath {
    KeyPath::default().key(key)
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, part) in self.0.iter().enumerate() {
            match part {
                KeyPart::Key(key) if i == 0 => write!(f, "{key}")?,
                KeyPart::Key(key) => write!(f, ".{key}")?,
                KeyPart::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfficeError {
    #[error("the office file is {size} bytes; an office file may have at most {max} bytes")]
    TooLarge { size: usize, max: usize },
    #[error("the office file is not valid TOML or does not fit the format: {0}")]
    Syntax(String),
    #[error("line {line}, key `{key}`: {problem}")]
    Invalid { key: String, line: usize, problem: OfficeProblem },
}

/// What is wrong with one value of the office file; said after its line and key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OfficeProblem {
    #[error("the first level starts at 0 XP, and each next one at more XP than the one before")]
    LevelsMustRise,
    #[error("must not be empty")]
    Empty,
    #[error("must not be empty: citizens are told who joins them")]
    NamelessAgent,
    #[error("{0:?} is not a time zone name such as \"Europe/Warsaw\"")]
    NotATimeZone(String),
    #[error("a helpdesk needs at least one agent")]
    NoAgents,
    #[error("an office needs at least one department")]
    NoDepartments,
    #[error("{0} is listed twice")]
    ListedTwice(OwnedUserId),
    #[error("{kind} {id:?} is defined twice")]
    DefinedTwice { kind: &'static str, id: String },
    #[error("{0:?} must be 1–40 characters: a-z, 0-9, - or _")]
    BadId(String),
    #[error("no department has the id {0:?}")]
    UnknownDepartment(String),
    #[error("no clerk works in department {0:?}, so nobody could take this service")]
    NobodyInDepartment(String),
    #[error("{0} is not one of the clerks")]
    UnknownClerk(OwnedUserId),
    #[error("must be between {min} and {max}{unit}")]
    OutOfRange { min: u32, max: u32, unit: &'static str },
    #[error("must be at least {0}")]
    AtLeast(&'static str),
    #[error("must be a multiple of {GRID_MINUTES} minutes")]
    OffTheGrid,
    #[error("must be a positive multiple of {GRID_MINUTES}")]
    StepOffTheGrid,
    #[error("must not be more than window_days")]
    ClosesBeforeTheWindow,
    #[error("ends before `from`")]
    EndsBeforeFrom,
    #[error("kind = \"hours\" needs the hours, e.g. [\"09:00-13:00\"]")]
    HoursMissing,
    #[error("{0:?} overlaps {1:?}")]
    Overlaps(String, String),
    #[error("{0:?} is not a range of hours such as \"08:00-16:00\"")]
    NotARange(String),
    #[error("{0:?} is not an hour such as \"08:00\"")]
    NotAnHour(String),
    #[error("{0:?} ends before it starts")]
    EndsBeforeItStarts(String),
    #[error("{0:?}: hours must be on a {GRID_MINUTES}-minute grid")]
    HoursOffTheGrid(String),
    #[error("{0:?} is not a duration such as \"1d\", \"1h\" or \"30m\"")]
    NotADuration(String),
}

impl Office {
    /// Parses and checks an office file.
    pub fn parse(source: &str) -> Result<Self, OfficeError> {
        if source.len() > MAX_OFFICE_FILE_BYTES {
            return Err(OfficeError::TooLarge { size: source.len(), max: MAX_OFFICE_FILE_BYTES });
        }
        let mut office: Office = toml::from_str(source).map_err(|e| OfficeError::Syntax(e.to_string()))?;
        office.check().map_err(|(path, problem)| OfficeError::Invalid {
            line: line_of(source, &path),
            key: path.to_string(),
            problem,
        })?;
        for clerk in &mut office.clerks {
            clerk.parsed_plan = Some(ParsedPlan::from_plan(&clerk.plan));
        }
        if let Some(helpdesk) = &mut office.helpdesk {
            helpdesk.parse_hours();
        }
        office.parsed_time_zone = office.office.time_zone.parse().ok();
        office.service_names = super::understand::service_names(&office);
        Ok(office)
    }

    pub fn time_zone(&self) -> Tz {
        self.parsed_time_zone
            .unwrap_or_else(|| self.office.time_zone.parse().unwrap_or(chrono_tz::Europe::Warsaw))
    }

    /// The services' names, for finding the service a citizen means.
    pub fn service_names(&self) -> &szpon_nlp::Gazetteer {
        &self.service_names
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn department(&self, id: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }

    pub fn clerk(&self, user_id: &UserId) -> Option<&Clerk> {
        self.clerks.iter().find(|c| c.user_id == user_id)
    }

    /// The reminder offsets, longest first.
    pub fn reminder_offsets(&self) -> Vec<Duration> {
        let mut offsets: Vec<Duration> =
            self.reminders.offsets.iter().filter_map(|o| parse_offset(o).ok()).collect();
        offsets.sort_by(|a, b| b.cmp(a));
        offsets
    }

    fn check(&self) -> Result<(), (KeyPath, OfficeProblem)> {
        if self.office.name.trim().is_empty() {
            return Err((root("office").key("name"), OfficeProblem::Empty));
        }
        if self.office.time_zone.parse::<Tz>().is_err() {
            return Err((
                root("office").key("time_zone"),
                OfficeProblem::NotATimeZone(self.office.time_zone.clone()),
            ));
        }
        self.check_departments()?;
        self.check_services()?;
        self.check_clerks()?;
        self.check_exceptions()?;
        self.check_helpdesk()?;
        self.check_levels()?;
        self.check_rules()
    }

    /// The office's own levels: the first at 0 XP, each later one at more XP, each named.
    fn check_levels(&self) -> Result<(), (KeyPath, OfficeProblem)> {
        let Some(courses) = &self.courses else { return Ok(()) };
        let path = root("courses").key("levels");
        let mut below: Option<u32> = None;
        for (i, level) in courses.levels.iter().enumerate() {
            let name = level.name.trim();
            let limit = crate::courses::LEVEL_NAME_CHARS;
            if name.is_empty() || name.chars().count() > limit as usize {
                let problem = OfficeProblem::OutOfRange { min: 1, max: limit, unit: " characters" };
                return Err((path.index(i).key("name"), problem));
            }
            let rises = match below {
                None => level.xp == 0,
                Some(below) => level.xp > below,
            };
            if !rises {
                return Err((path.index(i).key("xp"), OfficeProblem::LevelsMustRise));
            }
            below = Some(level.xp);
        }
        Ok(())
    }

    fn check_helpdesk(&self) -> Result<(), (KeyPath, OfficeProblem)> {
        let Some(helpdesk) = &self.helpdesk else { return Ok(()) };
        let path = root("helpdesk");
        if helpdesk.agents.is_empty() {
            return Err((path.key("agents"), OfficeProblem::NoAgents));
        }
        let mut seen = HashSet::new();
        for (i, agent) in helpdesk.agents.iter().enumerate() {
            let path = path.key("agents").index(i);
            if !seen.insert(&agent.user_id) {
                return Err((path.key("user_id"), OfficeProblem::ListedTwice(agent.user_id.clone())));
            }
            if agent.name.trim().is_empty() {
                return Err((path.key("name"), OfficeProblem::NamelessAgent));
            }
        }
        check_plan(&helpdesk.hours, &path.key("hours"))?;
        let sla = &helpdesk.sla;
        for (key, value) in [
            ("first_response", &sla.first_response),
            ("resolution", &sla.resolution),
            ("warn_before", &sla.warn_before),
        ] {
            parse_offset(value).map_err(|problem| (path.key("sla").key(key), problem))?;
        }
        if !(1..=3650).contains(&helpdesk.retention_days) {
            return Err((
                path.key("retention_days"),
                OfficeProblem::OutOfRange { min: 1, max: 3650, unit: " days" },
            ));
        }
        Ok(())
    }

    fn check_departments(&self) -> Result<(), (KeyPath, OfficeProblem)> {
        if self.departments.is_empty() {
            return Err((root("departments"), OfficeProblem::NoDepartments));
        }
        let mut seen = HashSet::new();
        for (i, department) in self.departments.iter().enumerate() {
            let path = root("departments").index(i);
            check_id(&department.id).map_err(|p| (path.key("id"), p))?;
            if !seen.insert(&department.id) {
                let id = department.id.clone();
                return Err((path.key("id"), OfficeProblem::DefinedTwice { kind: "department", id }));
            }
        }
        Ok(())
    }

    fn check_services(&self) -> Result<(), (KeyPath, OfficeProblem)> {
        let mut seen = HashSet::new();
        for (i, service) in self.services.iter().enumerate() {
            let path = root("services").index(i);
            check_id(&service.id).map_err(|p| (path.key("id"), p))?;
            if !seen.insert(&service.id) {
                return Err((
                    path.key("id"),
                    OfficeProblem::DefinedTwice { kind: "service", id: service.id.clone() },
                ));
            }
            if self.department(&service.department).is_none() {
                return Err((
                    path.key("department"),
                    OfficeProblem::UnknownDepartment(service.department.clone()),
                ));
            }
            if service.duration == 0 || service.duration > 8 * 60 {
                return Err((
                    path.key("duration"),
                    OfficeProblem::OutOfRange { min: 1, max: 480, unit: " minutes" },
                ));
            }
            for (key, minutes) in [
                ("duration", service.duration),
                ("buffer_before", service.buffer_before),
                ("buffer_after", service.buffer_after),
            ] {
                if !minutes.is_multiple_of(GRID_MINUTES) {
                    return Err((path.key(key), OfficeProblem::OffTheGrid));
                }
            }
            if !self.clerks.iter().any(|c| c.departments.contains(&service.department)) {
                return Err((
                    path.key("department"),
                    OfficeProblem::NobodyInDepartment(service.department.clone()),
                ));
            }
        }
        Ok(())
    }

    fn check_clerks(&self) -> Result<(), (KeyPath, OfficeProblem)> {
        let mut seen = HashSet::new();
        for (i, clerk) in self.clerks.iter().enumerate() {
            let path = root("clerks").index(i);
            if !seen.insert(&clerk.user_id) {
                return Err((path.key("user_id"), OfficeProblem::ListedTwice(clerk.user_id.clone())));
            }
            for (j, department) in clerk.departments.iter().enumerate() {
                if self.department(department).is_none() {
                    return Err((
                        path.key("departments").index(j),
                        OfficeProblem::UnknownDepartment(department.clone()),
                    ));
                }
            }
            check_plan(&clerk.plan, &path.key("plan"))?;
        }
        Ok(())
    }

    fn check_exceptions(&self) -> Result<(), (KeyPath, OfficeProblem)> {
        for (i, exception) in self.exceptions.iter().enumerate() {
            let path = root("exceptions").index(i);
            if self.clerk(&exception.clerk).is_none() {
                return Err((path.key("clerk"), OfficeProblem::UnknownClerk(exception.clerk.clone())));
            }
            if exception.to.is_some_and(|to| to < exception.from) {
                return Err((path.key("to"), OfficeProblem::EndsBeforeFrom));
            }
            check_ranges(&exception.hours).map_err(|(j, p)| (path.key("hours").index(j), p))?;
            if exception.kind == ExceptionKind::Hours && exception.hours.is_empty() {
                return Err((path.key("hours"), OfficeProblem::HoursMissing));
            }
        }
        Ok(())
    }

    fn check_rules(&self) -> Result<(), (KeyPath, OfficeProblem)> {
        let rules = &self.booking;
        let path = root("booking");
        if rules.window_days == 0 || rules.window_days > 366 {
            return Err((path.key("window_days"), OfficeProblem::OutOfRange { min: 1, max: 366, unit: "" }));
        }
        if rules.close_days_before > rules.window_days {
            return Err((path.key("close_days_before"), OfficeProblem::ClosesBeforeTheWindow));
        }
        if rules.slot_step == 0 || !rules.slot_step.is_multiple_of(GRID_MINUTES) {
            return Err((path.key("slot_step"), OfficeProblem::StepOffTheGrid));
        }
        if rules.offers == 0 || rules.offers > 9 {
            return Err((path.key("offers"), OfficeProblem::OutOfRange { min: 1, max: 9, unit: "" }));
        }
        if rules.max_active_visits == 0 {
            return Err((path.key("max_active_visits"), OfficeProblem::AtLeast("1")));
        }
        if rules.dialogue_timeout == 0 {
            return Err((path.key("dialogue_timeout"), OfficeProblem::AtLeast("1 minute")));
        }
        for (i, offset) in self.reminders.offsets.iter().enumerate() {
            parse_offset(offset).map_err(|p| (root("reminders").key("offsets").index(i), p))?;
        }
        Ok(())
    }
}

fn check_id(id: &str) -> Result<(), OfficeProblem> {
    let valid = !id.is_empty()
        && id.len() <= 40
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if valid { Ok(()) } else { Err(OfficeProblem::BadId(id.to_owned())) }
}

fn check_ranges(ranges: &[String]) -> Result<(), (usize, OfficeProblem)> {
    let mut parsed = Vec::new();
    for (i, range) in ranges.iter().enumerate() {
        parsed.push((TimeRange::parse(range).map_err(|p| (i, p))?, i));
    }
    parsed.sort();
    for pair in parsed.windows(2) {
        if pair[1].0.start < pair[0].0.end {
            let (later, earlier) = (ranges[pair[1].1].clone(), ranges[pair[0].1].clone());
            return Err((pair[1].1, OfficeProblem::Overlaps(later, earlier)));
        }
    }
    Ok(())
}

/// The line a key is on, found by walking the parsed document; the nearest existing parent's
/// line if the key itself is missing.
fn check_plan(plan: &WeekPlan, path: &KeyPath) -> Result<(), (KeyPath, OfficeProblem)> {
    for (day, ranges) in plan.days() {
        check_ranges(ranges).map_err(|(j, p)| (path.key(day).index(j), p))?;
    }
    check_ranges(&plan.breaks).map_err(|(j, p)| (path.key("breaks").index(j), p))
}

fn line_of(source: &str, path: &KeyPath) -> usize {
    let Ok(document) = toml_edit::Document::parse(source) else {
        return 1;
    };
    let mut item = Some(document.as_item());
    let mut span = None;
    for part in &path.0 {
        let next = match (item, part) {
            (Some(current), KeyPart::Key(key)) => current.get(key.as_str()),
            (Some(current), KeyPart::Index(index)) => current.get(*index),
            (None, _) => None,
        };
        match next {
            Some(found) => {
                span = found.span().or(span);
                item = Some(found);
            }
            None => break,
        }
    }
    let offset = span.map_or(0, |s| s.start).min(source.len());
    source[..offset].matches('\n').count() + 1
}

#[cfg(test)]
mod tests;
