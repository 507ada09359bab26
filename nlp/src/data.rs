//! Training data in Rasa's NLU YAML format, so that an office can bring the data it has.
//!
//! Read: `version`, `nlu:` items with `intent` (including retrieval intents such as
//! `faq/dowod`), `synonym`, `lookup` and `regex`, each with `examples`; entity annotations
//! `[text](entity)`, `[text](entity:value)` and `[text]{"entity": "…", "value": "…"}`; and
//! `responses:` for retrieval intents (`utter_faq/dowod`), each variant with an optional `lang`
//! (Polish when absent). Every error names the file and the line.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::Lang;

/// The largest data file read; office data is kilobytes, not megabytes.
pub const MAX_DATA_BYTES: usize = 16 * 1024 * 1024;

/// A mistake in a data file, located.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct DataError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// An entity marked in a training example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub entity: String,
    pub value: String,
    /// The marked words, in characters of the example's plain text.
    pub start: usize,
    pub end: usize,
}

/// One example sentence of an intent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub intent: String,
    /// The sentence without annotation marks.
    pub text: String,
    pub annotations: Vec<Annotation>,
}

/// Everything the NLU learns from: examples, synonyms, lookup tables, patterns and answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrainingData {
    pub examples: Vec<Example>,
    /// Phrase → the value it stands for.
    pub synonyms: Vec<(String, String)>,
    /// Table name (the entity) → phrase.
    pub lookups: Vec<(String, String)>,
    /// Entity name → regular expression.
    pub regexes: Vec<(String, String)>,
    /// Retrieval intent ("faq/dowod") → language → answer variants.
    pub responses: BTreeMap<String, BTreeMap<Lang, Vec<String>>>,
}

#[derive(Deserialize)]
struct RasaFile {
    #[serde(default)]
    nlu: Vec<RasaItem>,
    #[serde(default)]
    responses: BTreeMap<String, Vec<ResponseVariant>>,
}

#[derive(Deserialize)]
struct RasaItem {
    intent: Option<String>,
    synonym: Option<String>,
    lookup: Option<String>,
    regex: Option<String>,
    examples: Option<String>,
}

#[derive(Deserialize)]
struct ResponseVariant {
    text: Option<String>,
    lang: Option<String>,
}

/// Where things are in the file, for messages.
struct Source<'a> {
    file: &'a str,
    lines: Vec<&'a str>,
}

impl Source<'_> {
    fn error(&self, line: usize, message: impl Into<String>) -> DataError {
        DataError { file: self.file.to_owned(), line, message: message.into() }
    }

    /// The first line at or after `from` (1-based) that contains `needle`, or `from`. Items and
    /// examples are sought in file order, so the search is short.
    fn line_of(&self, needle: &str, from: usize) -> usize {
        let start = from.saturating_sub(1).min(self.lines.len());
        self.lines[start..].iter().position(|line| line.contains(needle)).map_or(from, |i| start + i + 1)
    }
}

impl TrainingData {
    /// Reads one Rasa YAML file; `file` is its name for messages.
    pub fn parse(file: &str, text: &str) -> Result<TrainingData, DataError> {
        if text.len() > MAX_DATA_BYTES {
            let message = format!("the file is larger than {} MiB", MAX_DATA_BYTES >> 20);
            return Err(DataError { file: file.to_owned(), line: 1, message });
        }
        let source = Source { file, lines: text.lines().collect() };
        let parsed: RasaFile = match serde_yaml::from_str(text) {
            Ok(parsed) => parsed,
            Err(e) => {
                let line = e.location().map_or(1, |l| l.line());
                return Err(source.error(line, format!("not valid Rasa NLU YAML: {e}")));
            }
        };
        if parsed.nlu.is_empty() && parsed.responses.is_empty() {
            return Err(source.error(1, "no training data: expected an nlu: list or responses:"));
        }
        let mut data = TrainingData::default();
        let mut line = 1;
        for item in &parsed.nlu {
            line = data.add_item(&source, item, line)?;
        }
        for (name, variants) in &parsed.responses {
            data.add_responses(&source, name, variants)?;
        }
        Ok(data)
    }

    /// Adds another file's data to this one.
    pub fn merge(&mut self, other: TrainingData) {
        self.examples.extend(other.examples);
        self.synonyms.extend(other.synonyms);
        self.lookups.extend(other.lookups);
        self.regexes.extend(other.regexes);
        for (intent, langs) in other.responses {
            // An office's own answer replaces the shipped one for the same topic.
            self.responses.insert(intent, langs);
        }
    }

    /// The intents that have examples, sorted.
    pub fn intents(&self) -> Vec<&str> {
        let mut intents: Vec<&str> = self.examples.iter().map(|e| e.intent.as_str()).collect();
        intents.sort_unstable();
        intents.dedup();
        intents
    }

    /// Adds one `nlu:` item; returns the line it was found at, where the next one is sought.
    fn add_item(&mut self, source: &Source<'_>, item: &RasaItem, after: usize) -> Result<usize, DataError> {
        let kinds = [
            ("intent", &item.intent),
            ("synonym", &item.synonym),
            ("lookup", &item.lookup),
            ("regex", &item.regex),
        ];
        let named: Vec<(&str, &String)> =
            kinds.iter().filter_map(|(k, v)| v.as_ref().map(|v| (*k, v))).collect();
        let [(kind, name)] = named.as_slice() else {
            let line = source.line_of("- ", after + 1);
            return Err(source.error(line, "each item needs exactly one of intent, synonym, lookup or regex"));
        };
        let line = source.line_of(&format!("{kind}: {name}"), after + 1);
        let name = name.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(source.error(line, format!("the {kind} name \"{name}\" must be one word")));
        }
        let Some(examples) = item.examples.as_deref() else {
            return Err(source.error(line, format!("{kind} \"{name}\" has no examples")));
        };
        let mut count = 0;
        for (offset, raw) in examples.lines().enumerate() {
            let Some(example) = raw.trim().strip_prefix("- ").or_else(|| raw.trim().strip_prefix('-')) else {
                if raw.trim().is_empty() {
                    continue;
                }
                let at = source.line_of(raw.trim(), line).max(line + offset);
                return Err(
                    source.error(at, format!("an example must start with \"- \": {}", shorten(raw.trim())))
                );
            };
            let example = example.trim();
            let at = source.line_of(example, line);
            if example.is_empty() {
                return Err(source.error(at, "an empty example"));
            }
            self.add_example(source, kind, name, example, at)?;
            count += 1;
        }
        if count == 0 {
            return Err(source.error(line, format!("{kind} \"{name}\" has no examples")));
        }
        Ok(line)
    }

    fn add_example(
        &mut self,
        source: &Source<'_>,
        kind: &str,
        name: &str,
        example: &str,
        line: usize,
    ) -> Result<(), DataError> {
        match kind {
            "intent" => {
                let (text, annotations) = parse_annotations(example).map_err(|m| source.error(line, m))?;
                for a in &annotations {
                    if a.value != text.chars().skip(a.start).take(a.end - a.start).collect::<String>() {
                        self.synonyms.push((
                            text.chars().skip(a.start).take(a.end - a.start).collect(),
                            a.value.clone(),
                        ));
                    }
                }
                self.examples.push(Example { intent: name.to_owned(), text, annotations });
            }
            "synonym" => self.synonyms.push((example.to_owned(), name.to_owned())),
            "lookup" => self.lookups.push((name.to_owned(), example.to_owned())),
            _ => {
                regex::Regex::new(example)
                    .map_err(|e| source.error(line, format!("not a valid regular expression: {e}")))?;
                self.regexes.push((name.to_owned(), example.to_owned()));
            }
        }
        Ok(())
    }

    fn add_responses(
        &mut self,
        source: &Source<'_>,
        name: &str,
        variants: &[ResponseVariant],
    ) -> Result<(), DataError> {
        let line = source.line_of(&format!("{name}:"), 1);
        let Some(intent) = name.strip_prefix("utter_") else {
            return Err(source.error(line, format!("the response \"{name}\" must be named utter_<intent>")));
        };
        if variants.is_empty() {
            return Err(source.error(line, format!("the response \"{name}\" has no text")));
        }
        for variant in variants {
            let Some(text) = variant.text.as_deref().filter(|t| !t.trim().is_empty()) else {
                return Err(source.error(line, format!("a variant of \"{name}\" has no text")));
            };
            let lang = match variant.lang.as_deref() {
                None => Lang::Pl,
                Some(tag) => Lang::parse(tag)
                    .ok_or_else(|| source.error(line, format!("unknown language \"{tag}\" (pl or en)")))?,
            };
            self.responses
                .entry(intent.to_owned())
                .or_default()
                .entry(lang)
                .or_default()
                .push(text.trim().to_owned());
        }
        Ok(())
    }
}

fn shorten(text: &str) -> String {
    let short: String = text.chars().take(60).collect();
    if short.len() < text.len() { format!("{short}…") } else { short }
}

/// Strips annotation marks from an example: "[dowód](service:dowod) jutro" → "dowód jutro",
/// with the annotation's place in the plain text.
pub fn parse_annotations(example: &str) -> Result<(String, Vec<Annotation>), String> {
    let mut text = String::new();
    let mut annotations = Vec::new();
    let mut rest = example;
    while let Some(open) = rest.find('[') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find(']').ok_or_else(|| format!("an unclosed \"[\" in: {}", shorten(example)))?;
        let marked = &after[..close];
        let tail = &after[close + 1..];
        let (entity, value, consumed) = annotation_target(marked, tail).ok_or_else(|| {
            format!(
                "\"[{marked}]\" must be followed by (entity) or {{\"entity\": …}} in: {}",
                shorten(example)
            )
        })?;
        let start = text.chars().count();
        text.push_str(marked);
        annotations.push(Annotation { entity, value, start, end: start + marked.chars().count() });
        rest = &tail[consumed..];
    }
    text.push_str(rest);
    Ok((text, annotations))
}

/// The entity and value after a marked span, and how many bytes of `tail` they took.
fn annotation_target(marked: &str, tail: &str) -> Option<(String, String, usize)> {
    if let Some(inner) = tail.strip_prefix('(') {
        let close = inner.find(')')?;
        let target = &inner[..close];
        let (entity, value) = target.split_once(':').unwrap_or((target, marked));
        let entity = entity.trim();
        return (!entity.is_empty()).then(|| (entity.to_owned(), value.trim().to_owned(), close + 2));
    }
    if tail.starts_with('{') {
        let close = tail.find('}')?;
        #[derive(Deserialize)]
        struct Target {
            entity: String,
            value: Option<String>,
        }
        let target: Target = serde_json::from_str(&tail[..=close]).ok()?;
        let value = target.value.unwrap_or_else(|| marked.to_owned());
        return Some((target.entity, value, close + 1));
    }
    None
}

#[cfg(test)]
mod tests;
