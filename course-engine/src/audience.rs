//! Who a course is for: rules over the directory's attributes, such as
//! `department = "promocja" AND role = "redaktor"` or `audience = "all-citizens"`.

use std::collections::BTreeMap;

use thiserror::Error;

/// The attributes the directory keeps for a person.
pub const ATTRIBUTES: [&str; 5] = ["office", "department", "role", "kind", "audience"];
/// The values of `audience`, each a shorthand over `kind`.
pub const AUDIENCES: [&str; 3] = ["all-citizens", "all-staff", "everyone"];

/// A person's attributes, as the directory has them ("kind" is "citizen" or "staff").
pub type Attributes = BTreeMap<String, String>;

/// An audience rule, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    Is { attribute: String, value: String },
    IsNot { attribute: String, value: String },
    Not(Box<Rule>),
    And(Box<Rule>, Box<Rule>),
    Or(Box<Rule>, Box<Rule>),
}

impl Rule {
    /// Whether a person with these attributes is in the audience.
    pub fn matches(&self, person: &Attributes) -> bool {
        match self {
            Rule::Is { attribute, value } => has(person, attribute, value),
            Rule::IsNot { attribute, value } => !has(person, attribute, value),
            Rule::Not(rule) => !rule.matches(person),
            Rule::And(a, b) => a.matches(person) && b.matches(person),
            Rule::Or(a, b) => a.matches(person) || b.matches(person),
        }
    }
}

fn has(person: &Attributes, attribute: &str, value: &str) -> bool {
    if attribute == "audience" {
        let kind = person.get("kind").map(String::as_str);
        return match value {
            "everyone" => true,
            "all-citizens" => kind == Some("citizen"),
            "all-staff" => kind == Some("staff"),
            _ => false,
        };
    }
    person.get(attribute).is_some_and(|v| v.eq_ignore_ascii_case(value))
}

/// What is wrong with a rule, and at which character (from 1).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("column {column}: {kind}")]
pub struct RuleError {
    pub column: usize,
    pub kind: RuleErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RuleErrorKind {
    #[error("unknown attribute {0:?}; known are office, department, role, kind and audience")]
    UnknownAttribute(String),
    #[error("unknown audience {0:?}; known are all-citizens, all-staff and everyone")]
    UnknownAudience(String),
    #[error("expected {expected}, found {found:?}")]
    Expected { expected: &'static str, found: String },
    #[error("a quoted value is never closed")]
    Unclosed,
    #[error("the rule is empty")]
    Empty,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Quoted(String),
    Equals,
    NotEquals,
    Open,
    Close,
}

fn tokens(text: &str) -> Result<Vec<(usize, Token)>, RuleError> {
    let mut found = Vec::new();
    let mut chars = text.char_indices().peekable();
    let column = |byte: usize| text[..byte].chars().count() + 1;
    while let Some((at, c)) = chars.next() {
        let token = match c {
            c if c.is_whitespace() => continue,
            '(' => Token::Open,
            ')' => Token::Close,
            '=' => Token::Equals,
            '!' if chars.peek().map(|(_, c)| *c) == Some('=') => {
                chars.next();
                Token::NotEquals
            }
            '"' => {
                let mut value = String::new();
                loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((_, c)) => value.push(c),
                        None => return Err(RuleError { column: column(at), kind: RuleErrorKind::Unclosed }),
                    }
                }
                Token::Quoted(value)
            }
            c => {
                let mut word = String::from(c);
                while let Some((_, next)) = chars.peek().copied() {
                    if next.is_whitespace() || "()=!\"".contains(next) {
                        break;
                    }
                    word.push(next);
                    chars.next();
                }
                Token::Word(word)
            }
        };
        found.push((column(at), token));
    }
    Ok(found)
}

/// Reads a rule: comparisons (`=`, `!=`) joined by AND, OR and NOT (or I, LUB, NIE), with
/// parentheses; AND binds tighter than OR.
pub fn parse_rule(text: &str) -> Result<Rule, RuleError> {
    let tokens = tokens(text)?;
    if tokens.is_empty() {
        return Err(RuleError { column: 1, kind: RuleErrorKind::Empty });
    }
    let mut parser = Parser { tokens: &tokens, at: 0, end: text.chars().count() + 1 };
    let rule = parser.or()?;
    match parser.peek() {
        None => Ok(rule),
        Some((column, token)) => Err(parser.expected(column, "AND, OR or the end", token)),
    }
}

struct Parser<'a> {
    tokens: &'a [(usize, Token)],
    at: usize,
    end: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<(usize, &Token)> {
        self.tokens.get(self.at).map(|(c, t)| (*c, t))
    }

    fn next(&mut self) -> Option<(usize, &Token)> {
        let token = self.tokens.get(self.at).map(|(c, t)| (*c, t));
        self.at += 1;
        token
    }

    fn expected(&self, column: usize, expected: &'static str, found: &Token) -> RuleError {
        let found = match found {
            Token::Word(w) | Token::Quoted(w) => w.clone(),
            Token::Equals => "=".into(),
            Token::NotEquals => "!=".into(),
            Token::Open => "(".into(),
            Token::Close => ")".into(),
        };
        RuleError { column, kind: RuleErrorKind::Expected { expected, found } }
    }

    fn keyword(&mut self, words: &[&str]) -> bool {
        let is = matches!(self.peek(), Some((_, Token::Word(w))) if words.iter().any(|k| w.eq_ignore_ascii_case(k)));
        if is {
            self.at += 1;
        }
        is
    }

    fn or(&mut self) -> Result<Rule, RuleError> {
        let mut rule = self.and()?;
        while self.keyword(&["OR", "LUB"]) {
            rule = Rule::Or(Box::new(rule), Box::new(self.and()?));
        }
        Ok(rule)
    }

    fn and(&mut self) -> Result<Rule, RuleError> {
        let mut rule = self.not()?;
        while self.keyword(&["AND", "I", "ORAZ"]) {
            rule = Rule::And(Box::new(rule), Box::new(self.not()?));
        }
        Ok(rule)
    }

    fn not(&mut self) -> Result<Rule, RuleError> {
        if self.keyword(&["NOT", "NIE"]) {
            return Ok(Rule::Not(Box::new(self.not()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Rule, RuleError> {
        let end = self.end;
        match self.next() {
            Some((_, Token::Open)) => {
                let rule = self.or()?;
                match self.next() {
                    Some((_, Token::Close)) => Ok(rule),
                    Some((column, token)) => {
                        let token = token.clone();
                        Err(self.expected(column, ")", &token))
                    }
                    None => Err(RuleError {
                        column: end,
                        kind: RuleErrorKind::Expected { expected: ")", found: String::new() },
                    }),
                }
            }
            Some((column, Token::Word(attribute))) => {
                let attribute = attribute.to_lowercase();
                if !ATTRIBUTES.contains(&attribute.as_str()) {
                    return Err(RuleError { column, kind: RuleErrorKind::UnknownAttribute(attribute) });
                }
                let negated = match self.next() {
                    Some((_, Token::Equals)) => false,
                    Some((_, Token::NotEquals)) => true,
                    Some((column, token)) => {
                        let token = token.clone();
                        return Err(self.expected(column, "= or !=", &token));
                    }
                    None => return Err(self.missing("= or !=")),
                };
                let (column, value) = match self.next() {
                    Some((column, Token::Quoted(value) | Token::Word(value))) => (column, value.clone()),
                    Some((column, token)) => {
                        let token = token.clone();
                        return Err(self.expected(column, "a value", &token));
                    }
                    None => return Err(self.missing("a value")),
                };
                if attribute == "audience" && !AUDIENCES.contains(&value.as_str()) {
                    return Err(RuleError { column, kind: RuleErrorKind::UnknownAudience(value) });
                }
                Ok(if negated { Rule::IsNot { attribute, value } } else { Rule::Is { attribute, value } })
            }
            Some((column, token)) => {
                let token = token.clone();
                Err(self.expected(column, "an attribute or (", &token))
            }
            None => Err(self.missing("an attribute or (")),
        }
    }

    fn missing(&self, expected: &'static str) -> RuleError {
        RuleError { column: self.end, kind: RuleErrorKind::Expected { expected, found: String::new() } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(pairs: &[(&str, &str)]) -> Attributes {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn rules_select_their_people() {
        let editor = person(&[("kind", "staff"), ("department", "promocja"), ("role", "redaktor")]);
        let clerk = person(&[("kind", "staff"), ("department", "ewidencja"), ("role", "urzędnik")]);
        let citizen = person(&[("kind", "citizen")]);
        let rule = parse_rule(r#"department = "promocja" AND role = "redaktor""#).unwrap();
        assert!(rule.matches(&editor) && !rule.matches(&clerk) && !rule.matches(&citizen));
        let everyone_citizen = parse_rule(r#"audience = "all-citizens""#).unwrap();
        assert!(everyone_citizen.matches(&citizen) && !everyone_citizen.matches(&clerk));
        let staff_not_editors =
            parse_rule(r#"audience = all-staff i nie (role = redaktor lub role = "stażysta")"#).unwrap();
        assert!(staff_not_editors.matches(&clerk) && !staff_not_editors.matches(&editor));
        let precedence = parse_rule("kind = citizen OR kind = staff AND role = redaktor").unwrap();
        assert!(precedence.matches(&citizen) && precedence.matches(&editor) && !precedence.matches(&clerk));
        assert!(parse_rule("department != promocja").unwrap().matches(&clerk));
    }

    #[test]
    fn bad_rules_name_their_column() {
        let cases = [
            ("dział = promocja", 1, RuleErrorKind::UnknownAttribute("dział".into())),
            ("audience = wszyscy", 12, RuleErrorKind::UnknownAudience("wszyscy".into())),
            ("role = \"redaktor", 8, RuleErrorKind::Unclosed),
            ("role redaktor", 6, RuleErrorKind::Expected { expected: "= or !=", found: "redaktor".into() }),
            ("(role = a", 10, RuleErrorKind::Expected { expected: ")", found: String::new() }),
            ("role = a b", 10, RuleErrorKind::Expected { expected: "AND, OR or the end", found: "b".into() }),
            ("", 1, RuleErrorKind::Empty),
        ];
        for (text, column, kind) in cases {
            assert_eq!(parse_rule(text), Err(RuleError { column, kind }), "{text:?}");
        }
    }
}
