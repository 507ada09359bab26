//! The task commands, in Polish and English.

use szpon_nlp::fold_diacritics;

/// Which tasks `!zadania` shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TaskFilter {
    /// The open tasks.
    #[default]
    Open,
    /// The open tasks assigned to the sender.
    Mine,
    /// The open tasks past their deadline.
    Overdue,
    /// Open and done tasks alike.
    All,
}

/// A task command, its arguments still as written where they need the clock to be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskCommand {
    /// `!zadanie <tytuł> [@osoba] [termin] [!priorytet]`
    Add(String),
    List(TaskFilter),
    /// `!zrobione N`
    Done(Option<i64>),
    /// `!przypisz N @osoba`; `!przypisz N nikt` takes the assignment off.
    Assign(Option<i64>, String),
    /// `!termin N <kiedy>`; `!termin N brak` takes the deadline off.
    SetDue(Option<i64>, String),
    /// `!usuń N`
    Delete(Option<i64>),
    /// `!podsumowanie 8:30`, or `!podsumowanie wyłącz`.
    Digest(String),
    /// `!kalendarz [nowy]`: the list's calendar feed (a person's in a direct chat, the room's
    /// in a room).
    Calendar(String),
    /// `!dokumenty`: the files shared in the room.
    Documents,
    /// A list filter the bot does not know.
    UnknownFilter(String),
}

impl TaskCommand {
    /// The task number the command names, if it names one.
    pub fn number(&self) -> Option<i64> {
        match self {
            TaskCommand::Done(n) | TaskCommand::Delete(n) => *n,
            TaskCommand::Assign(n, _) | TaskCommand::SetDue(n, _) => *n,
            _ => None,
        }
    }
}

/// The task command a text is, if it is one.
pub fn parse_task_command(text: &str) -> Option<TaskCommand> {
    let rest = text.trim().strip_prefix('!')?;
    let (name, arguments) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let arguments = arguments.trim();
    let command = match fold_diacritics(&name.to_lowercase()).as_str() {
        "zadanie" | "task" | "todo" => TaskCommand::Add(arguments.to_owned()),
        "zadania" | "tasks" | "todos" => list_command(arguments),
        "zrobione" | "zrobiono" | "gotowe" | "done" => TaskCommand::Done(number(arguments)),
        "przypisz" | "assign" => {
            let (n, rest) = number_and_rest(arguments);
            TaskCommand::Assign(n, rest)
        }
        "termin" | "due" => {
            let (n, rest) = number_and_rest(arguments);
            TaskCommand::SetDue(n, rest)
        }
        "usun" | "delete" | "remove" => TaskCommand::Delete(number(arguments)),
        "podsumowanie" | "digest" => TaskCommand::Digest(arguments.to_owned()),
        "kalendarz" | "calendar" => TaskCommand::Calendar(arguments.to_owned()),
        "dokumenty" | "pliki" | "documents" | "files" => TaskCommand::Documents,
        _ => return None,
    };
    Some(command)
}

fn list_command(arguments: &str) -> TaskCommand {
    match fold_diacritics(&arguments.to_lowercase()).as_str() {
        "" | "otwarte" | "open" => TaskCommand::List(TaskFilter::Open),
        "moje" | "mine" | "my" => TaskCommand::List(TaskFilter::Mine),
        "zalegle" | "overdue" | "late" => TaskCommand::List(TaskFilter::Overdue),
        "wszystkie" | "all" => TaskCommand::List(TaskFilter::All),
        other => TaskCommand::UnknownFilter(other.chars().take(40).collect()),
    }
}

/// "7", "#7", "nr 7": a task number; none if the text holds anything else.
fn number(text: &str) -> Option<i64> {
    let text = text.trim();
    let text = text.strip_prefix("nr").map_or(text, str::trim_start);
    text.trim_start_matches('#').parse().ok().filter(|n| *n > 0)
}

fn number_and_rest(arguments: &str) -> (Option<i64>, String) {
    let (first, rest) = arguments.split_once(char::is_whitespace).unwrap_or((arguments, ""));
    (number(first), rest.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_in_both_languages() {
        assert_eq!(parse_task_command("!zadanie Raport"), Some(TaskCommand::Add("Raport".into())));
        assert_eq!(parse_task_command("!task Report"), Some(TaskCommand::Add("Report".into())));
        assert_eq!(parse_task_command("!zadania"), Some(TaskCommand::List(TaskFilter::Open)));
        assert_eq!(parse_task_command("!zadania zaległe"), Some(TaskCommand::List(TaskFilter::Overdue)));
        assert_eq!(parse_task_command("!tasks mine"), Some(TaskCommand::List(TaskFilter::Mine)));
        assert_eq!(parse_task_command("!Zrobione 3"), Some(TaskCommand::Done(Some(3))));
        assert_eq!(parse_task_command("!done #3"), Some(TaskCommand::Done(Some(3))));
        assert_eq!(parse_task_command("!usuń nr 12"), Some(TaskCommand::Delete(Some(12))));
        assert_eq!(
            parse_task_command("!przypisz 2 @ewa:urzad.example"),
            Some(TaskCommand::Assign(Some(2), "@ewa:urzad.example".into()))
        );
        assert_eq!(
            parse_task_command("!termin 2 w piątek o 12"),
            Some(TaskCommand::SetDue(Some(2), "w piątek o 12".into()))
        );
        assert_eq!(parse_task_command("!podsumowanie 8:30"), Some(TaskCommand::Digest("8:30".into())));
        assert_eq!(parse_task_command("!kalendarz nowy"), Some(TaskCommand::Calendar("nowy".into())));
        assert_eq!(parse_task_command("!calendar"), Some(TaskCommand::Calendar(String::new())));
        assert_eq!(parse_task_command("!dokumenty"), Some(TaskCommand::Documents));
        assert_eq!(parse_task_command("!documents"), Some(TaskCommand::Documents));
        assert_eq!(
            parse_task_command("!zadania cokolwiek"),
            Some(TaskCommand::UnknownFilter("cokolwiek".into()))
        );
    }

    #[test]
    fn numbers_must_be_numbers() {
        assert_eq!(parse_task_command("!zrobione trzy"), Some(TaskCommand::Done(None)));
        assert_eq!(parse_task_command("!zrobione 0"), Some(TaskCommand::Done(None)));
        assert_eq!(parse_task_command("!zrobione -4"), Some(TaskCommand::Done(None)));
        assert_eq!(parse_task_command("!zrobione 99999999999999999999"), Some(TaskCommand::Done(None)));
        assert_eq!(parse_task_command("!usuń"), Some(TaskCommand::Delete(None)));
    }

    #[test]
    fn other_commands_are_not_task_commands() {
        assert_eq!(parse_task_command("!pomoc"), None);
        assert_eq!(parse_task_command("zadanie bez wykrzyknika"), None);
        assert_eq!(parse_task_command("!zgłoszenia"), None);
    }
}
