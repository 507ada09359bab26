//! Moodle's GIFT question format: parsing (with the line of every error) and writing back.
//!
//! ```text
//! // A comment.
//! ::Segregacja::Gdzie wyrzucić słoik? {=do szkła#Tak. ~do papieru#Nie, papier to ~do metali}
//! ::Prawda::Szkło można wrzucać z nakrętką. {F#Nakrętkę odkręcamy.}
//! Ile dni ma tydzień? {#7}
//! Połącz. {=szkło -> zielony =papier -> niebieski =metale i tworzywa -> żółty}
//! ```
//!
//! Questions are separated by blank lines. A special character inside text is escaped with a
//! backslash: `\~ \= \# \{ \} \:`.

use thiserror::Error;

/// The largest question bank or course file taken, in bytes: a course is read in chat.
pub const MAX_SOURCE_BYTES: usize = 1 << 20;

/// One question of a bank.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub title: Option<String>,
    pub text: String,
    pub kind: QuestionKind,
    /// Shown after any answer (GIFT's `####`).
    pub general_feedback: Option<String>,
    /// The line the question starts on, for messages about it.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum QuestionKind {
    TrueFalse {
        answer: bool,
        /// Shown after a wrong answer, and after a right one.
        wrong_feedback: Option<String>,
        right_feedback: Option<String>,
    },
    /// Multiple choice; `multiple` when several answers may be chosen (partial weights).
    Choice {
        answers: Vec<Answer>,
        multiple: bool,
    },
    /// Any of the answers typed counts (case and surrounding spaces aside).
    ShortAnswer {
        answers: Vec<Answer>,
    },
    Numerical {
        answers: Vec<NumericAnswer>,
    },
    Matching {
        pairs: Vec<(String, String)>,
    },
    /// A free answer, read by a person.
    Essay,
    /// Text with no question: a lesson's aside.
    Description,
}

/// An answer with its weight in percent (100 for a right one, negative for a penalty).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub text: String,
    pub weight: f64,
    pub feedback: Option<String>,
}

/// A number that counts if it lies within `tolerance` of `value`.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericAnswer {
    pub value: f64,
    pub tolerance: f64,
    pub weight: f64,
    pub feedback: Option<String>,
}

/// What is wrong with a question bank, and on which line.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {kind}")]
pub struct GiftError {
    pub line: usize,
    pub kind: GiftErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GiftErrorKind {
    #[error("the file has {0} bytes; at most {max} are taken", max = MAX_SOURCE_BYTES)]
    TooLarge(usize),
    #[error("an answer block opened with {{ is never closed")]
    Unclosed,
    #[error("a }} closes no answer block")]
    Unopened,
    #[error("a question has one answer block; this one has more")]
    SeveralBlocks,
    #[error("the question has no text")]
    NoText,
    #[error("a title opened with :: is never closed")]
    UnclosedTitle,
    #[error("the answer block cannot be read: {0:?}")]
    BadAnswers(String),
    #[error("no answer is right (one needs = or a positive weight)")]
    NoRightAnswer,
    #[error("the weight {0:?} is not a percentage from -100 to 100")]
    BadWeight(String),
    #[error("{0:?} is not a number")]
    BadNumber(String),
    #[error("a matching question needs at least two pairs \"left -> right\"")]
    TooFewPairs,
    #[error("an answer is empty")]
    EmptyAnswer,
}

impl GiftError {
    fn at(line: usize, kind: GiftErrorKind) -> Self {
        GiftError { line, kind }
    }
}

/// Reads a GIFT question bank. Every question is checked; the first error is returned, so that
/// nothing half-valid is ever used.
pub fn parse_gift(source: &str) -> Result<Vec<Question>, GiftError> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(GiftError::at(1, GiftErrorKind::TooLarge(source.len())));
    }
    chunks(source).into_iter().map(|(line, text)| question(line, &text)).collect()
}

/// The questions' texts, each with its first line: blank lines separate them; comments and
/// `$CATEGORY` lines are dropped. A blank line inside an open answer block does not separate.
fn chunks(source: &str) -> Vec<(usize, String)> {
    let mut chunks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let mut depth = 0i32;
    for (index, line) in source.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("//") || trimmed.starts_with("$CATEGORY:") {
            continue;
        }
        if trimmed.is_empty() && depth <= 0 {
            chunks.extend(current.take());
            depth = 0;
            continue;
        }
        depth += brace_balance(line);
        match &mut current {
            Some((_, text)) => {
                text.push('\n');
                text.push_str(line);
            }
            None => current = Some((index + 1, line.to_owned())),
        }
    }
    chunks.extend(current);
    chunks
}

/// Unescaped `{` minus unescaped `}` in a line.
fn brace_balance(line: &str) -> i32 {
    let mut balance = 0;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' => balance += 1,
            '}' => balance -= 1,
            _ => {}
        }
    }
    balance
}

/// The byte offsets of unescaped occurrences of `pattern` in `text`.
fn unescaped(text: &str, pattern: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if text[i..].starts_with(pattern) {
            found.push(i);
            // The rest of the pattern is not searched again ("####" is one, not four).
            for _ in 1..pattern.chars().count() {
                chars.next();
            }
        }
    }
    found
}

fn first_unescaped(text: &str, pattern: &str) -> Option<usize> {
    unescaped(text, pattern).into_iter().next()
}

/// The text with its escapes resolved and its whitespace tidied (line breaks kept).
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            other => out.push(other),
        }
    }
    out.lines().map(str::trim).collect::<Vec<_>>().join("\n").trim().to_owned()
}

/// The line within a chunk that byte `offset` falls on.
fn line_of(chunk: &str, first_line: usize, offset: usize) -> usize {
    first_line + chunk[..offset.min(chunk.len())].matches('\n').count()
}

fn question(line: usize, chunk: &str) -> Result<Question, GiftError> {
    let (title, body, body_start) = split_title(line, chunk)?;
    let opens = unescaped(body, "{");
    let closes = unescaped(body, "}");
    let at = |offset: usize| line_of(chunk, line, body_start + offset);
    let Some(&open) = opens.first() else {
        if let Some(&close) = closes.first() {
            return Err(GiftError::at(at(close), GiftErrorKind::Unopened));
        }
        let text = without_format(&unescape(body));
        if text.is_empty() {
            return Err(GiftError::at(line, GiftErrorKind::NoText));
        }
        return Ok(Question { title, text, kind: QuestionKind::Description, general_feedback: None, line });
    };
    let Some(&close) = closes.iter().find(|c| **c > open) else {
        return Err(GiftError::at(at(open), GiftErrorKind::Unclosed));
    };
    if let Some(&early) = closes.iter().find(|c| **c < open) {
        return Err(GiftError::at(at(early), GiftErrorKind::Unopened));
    }
    if opens.len() > 1 || closes.len() > 1 {
        let second = opens.get(1).or(closes.get(1)).copied().unwrap_or(open);
        return Err(GiftError::at(at(second), GiftErrorKind::SeveralBlocks));
    }
    let before = unescape(&body[..open]);
    let after = unescape(&body[close + 1..]);
    let text = match (before.is_empty(), after.is_empty()) {
        (_, true) => before,
        (true, false) => after,
        (false, false) => format!("{before} _____ {after}"),
    };
    let text = without_format(&text);
    if text.is_empty() {
        return Err(GiftError::at(line, GiftErrorKind::NoText));
    }
    let (kind, general_feedback) =
        answers(&body[open + 1..close]).map_err(|kind| GiftError::at(at(open), kind))?;
    Ok(Question { title, text, kind, general_feedback, line })
}

/// `::Title::` at the start of a question, if any; the rest, and where the rest starts.
fn split_title(line: usize, chunk: &str) -> Result<(Option<String>, &str, usize), GiftError> {
    let start = chunk.len() - chunk.trim_start().len();
    if !chunk[start..].starts_with("::") {
        return Ok((None, chunk, 0));
    }
    let inner = start + 2;
    let Some(end) = first_unescaped(&chunk[inner..], "::") else {
        return Err(GiftError::at(line, GiftErrorKind::UnclosedTitle));
    };
    let title = unescape(&chunk[inner..inner + end]);
    let rest = inner + end + 2;
    Ok(((!title.is_empty()).then_some(title), &chunk[rest..], rest))
}

/// Text without a leading `[markdown]`, `[html]`, `[plain]` or `[moodle]` marker.
fn without_format(text: &str) -> String {
    for marker in ["[markdown]", "[html]", "[plain]", "[moodle]"] {
        if let Some(rest) = text.strip_prefix(marker) {
            return rest.trim().to_owned();
        }
    }
    text.to_owned()
}

type Parsed = Result<(QuestionKind, Option<String>), GiftErrorKind>;

/// The answer block's content, between the braces.
fn answers(block: &str) -> Parsed {
    let (block, general) = match first_unescaped(block, "####") {
        Some(at) => (&block[..at], Some(unescape(&block[at + 4..])).filter(|g| !g.is_empty())),
        None => (block, None),
    };
    let content = block.trim();
    if content.is_empty() {
        return Ok((QuestionKind::Essay, general));
    }
    if let Some(numbers) = content.strip_prefix('#') {
        return Ok((numerical(numbers)?, general));
    }
    if let Some(kind) = true_false(content)? {
        return Ok((kind, general));
    }
    Ok((choices(content)?, general))
}

fn true_false(content: &str) -> Result<Option<QuestionKind>, GiftErrorKind> {
    let marks = unescaped(content, "#");
    let word_end = marks.first().copied().unwrap_or(content.len());
    let answer = match content[..word_end].trim().to_uppercase().as_str() {
        "T" | "TRUE" => true,
        "F" | "FALSE" => false,
        _ => return Ok(None),
    };
    let feedback = |i: usize| {
        let start = marks.get(i).map(|m| m + 1)?;
        let end = marks.get(i + 1).copied().unwrap_or(content.len());
        Some(unescape(&content[start..end])).filter(|f| !f.is_empty())
    };
    Ok(Some(QuestionKind::TrueFalse { answer, wrong_feedback: feedback(0), right_feedback: feedback(1) }))
}

/// An item of a choice, short-answer or matching block: its marker and the rest.
struct Item<'a> {
    right: bool,
    body: &'a str,
}

fn items(content: &str) -> Result<Vec<Item<'_>>, GiftErrorKind> {
    let mut starts: Vec<usize> = unescaped(content, "=").into_iter().chain(unescaped(content, "~")).collect();
    starts.sort_unstable();
    match starts.first() {
        Some(&first) if content[..first].trim().is_empty() => {}
        _ => return Err(GiftErrorKind::BadAnswers(shorten(content))),
    }
    Ok(starts
        .iter()
        .enumerate()
        .map(|(i, &start)| {
            let end = starts.get(i + 1).copied().unwrap_or(content.len());
            Item { right: content.as_bytes()[start] == b'=', body: &content[start + 1..end] }
        })
        .collect())
}

fn choices(content: &str) -> Result<QuestionKind, GiftErrorKind> {
    let items = items(content)?;
    if items.iter().all(|i| i.right) && items.iter().any(|i| first_unescaped(i.body, "->").is_some()) {
        return matching(&items);
    }
    let answers = items
        .iter()
        .map(|item| answer(item.body, if item.right { 100.0 } else { 0.0 }))
        .collect::<Result<Vec<_>, _>>()?;
    if items.iter().all(|i| i.right) {
        return Ok(QuestionKind::ShortAnswer { answers });
    }
    if !answers.iter().any(|a| a.weight > 0.0) {
        return Err(GiftErrorKind::NoRightAnswer);
    }
    let multiple = !items.iter().any(|i| i.right) || answers.iter().filter(|a| a.weight > 0.0).count() > 1;
    Ok(QuestionKind::Choice { answers, multiple })
}

/// `%50%text#feedback`, with `default` as the weight when none is given.
fn answer(body: &str, default: f64) -> Result<Answer, GiftErrorKind> {
    let (weight, rest) = weight(body, default)?;
    let (text, feedback) = with_feedback(rest);
    if text.is_empty() {
        return Err(GiftErrorKind::EmptyAnswer);
    }
    Ok(Answer { text, weight, feedback })
}

fn weight(body: &str, default: f64) -> Result<(f64, &str), GiftErrorKind> {
    let trimmed = body.trim_start();
    let Some(rest) = trimmed.strip_prefix('%') else { return Ok((default, body)) };
    let Some(end) = rest.find('%') else { return Err(GiftErrorKind::BadWeight(shorten(trimmed))) };
    let value: f64 = rest[..end]
        .trim()
        .replace(',', ".")
        .parse()
        .map_err(|_| GiftErrorKind::BadWeight(rest[..end].to_owned()))?;
    if !(-100.0..=100.0).contains(&value) {
        return Err(GiftErrorKind::BadWeight(rest[..end].to_owned()));
    }
    Ok((value, &rest[end + 1..]))
}

fn with_feedback(body: &str) -> (String, Option<String>) {
    match first_unescaped(body, "#") {
        Some(at) => (unescape(&body[..at]), Some(unescape(&body[at + 1..])).filter(|f| !f.is_empty())),
        None => (unescape(body), None),
    }
}

fn matching(items: &[Item<'_>]) -> Result<QuestionKind, GiftErrorKind> {
    let pairs = items
        .iter()
        .map(|item| {
            let at = first_unescaped(item.body, "->")
                .ok_or_else(|| GiftErrorKind::BadAnswers(shorten(item.body)))?;
            Ok((unescape(&item.body[..at]), unescape(&item.body[at + 2..])))
        })
        .collect::<Result<Vec<_>, GiftErrorKind>>()?;
    if pairs.len() < 2 || pairs.iter().any(|(_, right)| right.is_empty()) {
        return Err(GiftErrorKind::TooFewPairs);
    }
    Ok(QuestionKind::Matching { pairs })
}

/// After `#`: `3.14:0.01`, `3..4`, `7`, or several `=%w%value:tolerance#feedback` items.
fn numerical(content: &str) -> Result<QuestionKind, GiftErrorKind> {
    let content = content.trim();
    let answers = if content.starts_with('=') || content.starts_with('~') {
        items(content)?
            .iter()
            .map(|item| {
                let (weight, rest) = weight(item.body, if item.right { 100.0 } else { 0.0 })?;
                let (number, feedback) = with_feedback(rest);
                let (value, tolerance) = number_and_tolerance(&number)?;
                Ok(NumericAnswer { value, tolerance, weight, feedback })
            })
            .collect::<Result<Vec<_>, GiftErrorKind>>()?
    } else {
        let (number, feedback) = with_feedback(content);
        let (value, tolerance) = number_and_tolerance(&number)?;
        vec![NumericAnswer { value, tolerance, weight: 100.0, feedback }]
    };
    if !answers.iter().any(|a| a.weight > 0.0) {
        return Err(GiftErrorKind::NoRightAnswer);
    }
    Ok(QuestionKind::Numerical { answers })
}

fn number_and_tolerance(text: &str) -> Result<(f64, f64), GiftErrorKind> {
    let number = |s: &str| -> Result<f64, GiftErrorKind> {
        let value: f64 = s.trim().parse().map_err(|_| GiftErrorKind::BadNumber(shorten(s.trim())))?;
        if value.is_finite() { Ok(value) } else { Err(GiftErrorKind::BadNumber(shorten(s.trim()))) }
    };
    if let Some((low, high)) = text.split_once("..") {
        let (low, high) = (number(low)?, number(high)?);
        if high < low {
            return Err(GiftErrorKind::BadNumber(shorten(text)));
        }
        return Ok(((low + high) / 2.0, (high - low) / 2.0));
    }
    match text.split_once(':') {
        Some((value, tolerance)) => {
            let tolerance = number(tolerance)?;
            if tolerance < 0.0 {
                return Err(GiftErrorKind::BadNumber(shorten(text)));
            }
            Ok((number(value)?, tolerance))
        }
        None => Ok((number(text)?, 0.0)),
    }
}

fn shorten(text: &str) -> String {
    text.trim().chars().take(60).collect()
}

/// Writes questions back as GIFT, which [`parse_gift`] reads into the same questions.
pub fn to_gift(questions: &[Question]) -> String {
    questions.iter().map(write_question).collect::<Vec<_>>().join("\n\n") + "\n"
}

/// Escapes GIFT's special characters, and line breaks as `\n`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '~' | '=' | '#' | '{' | '}' | ':' | '%' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            // "->" would pair a matching question's items.
            '-' if chars.peek() == Some(&'>') => out.push_str("\\-"),
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    out
}

fn write_question(question: &Question) -> String {
    let title = question.title.as_ref().map(|t| format!("::{}::", escape(t))).unwrap_or_default();
    let text = escape(&question.text);
    let general =
        question.general_feedback.as_ref().map(|g| format!(" ####{}", escape(g))).unwrap_or_default();
    let block = match &question.kind {
        QuestionKind::Description => return format!("{title}{text}"),
        QuestionKind::Essay => String::new(),
        QuestionKind::TrueFalse { answer, wrong_feedback, right_feedback } => {
            let mut block = if *answer { "TRUE".to_owned() } else { "FALSE".to_owned() };
            for feedback in [wrong_feedback, right_feedback] {
                match feedback {
                    Some(f) => block.push_str(&format!("#{}", escape(f))),
                    None if right_feedback.is_some() => block.push('#'),
                    None => {}
                }
            }
            block
        }
        QuestionKind::Choice { answers, multiple } => answers
            .iter()
            .map(|a| write_answer(a, if !*multiple && a.weight > 0.0 { '=' } else { '~' }))
            .collect(),
        QuestionKind::ShortAnswer { answers } => answers.iter().map(|a| write_answer(a, '=')).collect(),
        QuestionKind::Numerical { answers } => {
            let items: String = answers
                .iter()
                .map(|a| {
                    let feedback = a.feedback.as_ref().map(|f| format!("#{}", escape(f))).unwrap_or_default();
                    let marker = if a.weight > 0.0 { '=' } else { '~' };
                    format!(" {marker}%{}%{}:{}{feedback}", a.weight, a.value, a.tolerance)
                })
                .collect();
            format!("#{items}")
        }
        QuestionKind::Matching { pairs } => {
            pairs.iter().map(|(left, right)| format!(" ={} -> {}", escape(left), escape(right))).collect()
        }
    };
    format!("{title}{text} {{{block}{general}}}")
}

/// An answer with its marker and weight. A single choice marks its answer with points `=`, a
/// short answer marks all `=`, and a multiple choice marks every answer `~` with its weight,
/// which is what makes it one when read again.
fn write_answer(answer: &Answer, marker: char) -> String {
    let feedback = answer.feedback.as_ref().map(|f| format!("#{}", escape(f))).unwrap_or_default();
    let weight =
        if marker == '=' && answer.weight == 100.0 { String::new() } else { format!("%{}%", answer.weight) };
    format!(" {marker}{weight}{}{feedback}", escape(&answer.text))
}

#[cfg(test)]
mod tests;
