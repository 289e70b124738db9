//! The command line proper (native only): the audit and evaluation command line, for researchers, journalists, regulators,
//! and for our own evaluation. It uses exactly the engine the extension ships.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use deinfluencer::audit::{self, CreatorReport, PostReport};
use deinfluencer::eval::Report;
use deinfluencer::ledger::CreatorStats;
use deinfluencer::{Engine, Lang, Verdict};

#[derive(Parser)]
#[command(
    name = "deinfluencer",
    version,
    about = "Finds commercial social-media posts that carry no clear advertising disclosure",
    long_about = "Finds commercial social-media posts (paid partnerships, affiliate links, discount codes, shop \
links, gifted products) that carry no clear advertising disclosure. The same engine runs in the Deinfluencer \
browser extension. Everything runs locally; nothing is sent anywhere."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Jsonl,
    Csv,
    Table,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportKind {
    Posts,
    Creators,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Show {
    Flagged,
    Unflagged,
    /// Labelled commercial, judged organic.
    Missed,
    /// Labelled not commercial, flagged.
    FalseFlags,
    /// Disclosure found where the label says none, or the other way round.
    DisclosureErrors,
}

#[derive(Subcommand)]
enum Command {
    /// Judge posts from JSON Lines: simple posts {"id","creator","text",...}, raw TikTok items, or whole
    /// TikTok API/page JSON. A bad line is reported on stderr with its number and the run goes on; the
    /// exit code is 1 when any line failed.
    Audit {
        /// Input file; `-` or nothing reads standard input.
        file: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Format,
        #[arg(long, value_enum, default_value = "posts")]
        report: ReportKind,
        /// Language of the explanations: en, id or vi.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Precision, recall and F1 for commercial and for disclosure on labelled JSON Lines
    /// (`label_commercial`, `label_disclosed`, `lang`), per file and language.
    Eval {
        /// One or more labelled .jsonl files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Also print rows for reading by hand: flagged or unflagged as commercial, or where the detector
        /// and the label disagree (missed, false flags, disclosure errors).
        #[arg(long, value_enum)]
        show: Option<Show>,
        /// How many rows `--show` prints per file.
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
}

fn open_input(file: &Option<PathBuf>) -> io::Result<Box<dyn BufRead>> {
    match file {
        None => Ok(Box::new(BufReader::new(io::stdin()))),
        Some(p) if p.as_os_str() == "-" => Ok(Box::new(BufReader::new(io::stdin()))),
        Some(p) => Ok(Box::new(BufReader::new(File::open(p)?))),
    }
}

/// Lines as bytes, so one line of invalid UTF-8 is one bad line, not the end of the run.
fn for_each_line(
    mut input: Box<dyn BufRead>,
    mut f: impl FnMut(usize, Result<&str, String>),
) -> io::Result<()> {
    let mut buf = Vec::new();
    let mut line_no = 0;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        line_no += 1;
        match std::str::from_utf8(&buf) {
            Ok(s) => {
                let s = s.trim();
                if !s.is_empty() {
                    f(line_no, Ok(s));
                }
            }
            Err(e) => f(line_no, Err(format!("not UTF-8: {e}"))),
        }
    }
}

fn audit(
    file: &Option<PathBuf>,
    format: Format,
    report: ReportKind,
    lang: &str,
) -> Result<bool, String> {
    let engine = Engine::new().map_err(|e| e.to_string())?;
    let lang = Lang::parse(lang);
    let input = open_input(file).map_err(|e| format!("cannot read {}: {e}", display(file)))?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    let mut write_error: Option<io::Error> = None;
    let mut creators: HashMap<String, CreatorStats> = HashMap::new();
    let mut creator_order: Vec<String> = Vec::new();
    if let (ReportKind::Posts, Format::Csv) = (report, format) {
        writeln!(out, "{}", audit::POSTS_CSV_HEADER).map_err(|e| e.to_string())?;
    }
    let mut emit = |v: &Verdict, out: &mut BufWriter<io::StdoutLock<'_>>| -> io::Result<()> {
        match report {
            ReportKind::Posts => match format {
                Format::Jsonl => {
                    serde_json::to_writer(&mut *out, &PostReport::from(v))
                        .map_err(io::Error::other)?;
                    writeln!(out)
                }
                Format::Csv => writeln!(out, "{}", audit::post_csv_row(v)),
                Format::Table => writeln!(out, "{}", audit::post_table_row(v)),
            },
            ReportKind::Creators => {
                if !creators.contains_key(&v.creator) {
                    creator_order.push(v.creator.clone());
                }
                creators
                    .entry(v.creator.clone())
                    .or_default()
                    .record(v.verdict, v.self_promo);
                Ok(())
            }
        }
    };
    for_each_line(input, |line_no, line| {
        if write_error.is_some() {
            return;
        }
        let posts = match line
            .map_err(audit::LineError)
            .and_then(|l| audit::parse_line(l, line_no))
        {
            Ok(p) => p,
            Err(e) => {
                failed += 1;
                eprintln!("deinfluencer: line {line_no}: {e}");
                return;
            }
        };
        for post in &posts {
            let v = engine.judge(post, lang);
            if let Err(e) = emit(&v, &mut out) {
                write_error = Some(e);
                return;
            }
        }
    })
    .map_err(|e| format!("cannot read {}: {e}", display(file)))?;
    if let Some(e) = write_error {
        return Err(format!("cannot write output: {e}"));
    }
    if let ReportKind::Creators = report {
        if let Format::Csv = format {
            writeln!(out, "{}", audit::CREATORS_CSV_HEADER).map_err(|e| e.to_string())?;
        }
        for name in &creator_order {
            let Some(stats) = creators.get(name) else {
                continue;
            };
            let r = CreatorReport::new(name, stats);
            let line = match format {
                Format::Jsonl => serde_json::to_string(&r).map_err(|e| e.to_string())?,
                Format::Csv => audit::creator_csv_row(&r),
                Format::Table => format!(
                    "{:<24} seen {:>5}  sponsored {:>5.1}%  disclosed {:>6}  (o/d/u/n {}/{}/{}/{})",
                    r.creator,
                    r.seen,
                    100.0 * r.sponsored_share,
                    r.disclosure_rate
                        .map(|d| format!("{:.1}%", 100.0 * d))
                        .unwrap_or_else(|| "-".into()),
                    r.organic,
                    r.disclosed,
                    r.unclear,
                    r.undisclosed
                ),
            };
            writeln!(out, "{line}").map_err(|e| e.to_string())?;
        }
    }
    out.flush().map_err(|e| e.to_string())?;
    if failed > 0 {
        eprintln!("deinfluencer: {failed} line(s) could not be read");
    }
    Ok(failed == 0)
}

fn display(file: &Option<PathBuf>) -> String {
    file.as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "standard input".into())
}

fn evaluate(files: &[PathBuf], show: Option<Show>, limit: usize) -> Result<bool, String> {
    let engine = Engine::new().map_err(|e| e.to_string())?;
    let mut report = Report::default();
    let mut failed = 0usize;
    // Written through a handle, never `println!`: a closed pipe (`| head`) is an error to report,
    // not a panic.
    let mut out = BufWriter::new(io::stdout().lock());
    let mut write_error: Option<io::Error> = None;
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let input = open_input(&Some(path.clone()))
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut shown = 0usize;
        for_each_line(input, |line_no, line| {
            if write_error.is_some() {
                return;
            }
            let parsed = line.and_then(|l| {
                let value: serde_json::Value =
                    serde_json::from_str(l).map_err(|e| format!("invalid JSON: {e}"))?;
                let posts = audit::parse_line(l, line_no).map_err(|e| e.0)?;
                Ok((value, posts))
            });
            let (value, posts) = match parsed {
                Ok(x) => x,
                Err(e) => {
                    failed += 1;
                    eprintln!("deinfluencer: {}:{line_no}: {e}", path.display());
                    return;
                }
            };
            let label_commercial = value.get("label_commercial").and_then(|v| v.as_bool());
            let label_disclosed = value.get("label_disclosed").and_then(|v| v.as_bool());
            let lang = value.get("lang").and_then(|v| v.as_str()).unwrap_or("?");
            for post in &posts {
                let v = engine.judge(post, Lang::En);
                report.add(&name, lang, &v, label_commercial, label_disclosed);
                let wanted = match show {
                    Some(Show::Flagged) => v.commercial,
                    Some(Show::Unflagged) => !v.commercial,
                    Some(Show::Missed) => label_commercial == Some(true) && !v.commercial,
                    Some(Show::FalseFlags) => label_commercial == Some(false) && v.commercial,
                    Some(Show::DisclosureErrors) => {
                        label_disclosed.is_some_and(|l| l != deinfluencer::eval::predictions(&v).1)
                    }
                    None => false,
                };
                if wanted && shown < limit {
                    shown += 1;
                    let caption: String = post.caption.chars().take(160).collect();
                    let signals: Vec<String> = v
                        .evidence
                        .iter()
                        .map(|e| format!("{}=“{}”", e.signal.as_str(), e.text))
                        .collect();
                    if let Err(e) = writeln!(
                        out,
                        "{name}:{line_no} [{}] @{} | {} | #{} | {}",
                        v.verdict.as_str(),
                        post.creator.handle,
                        caption.replace('\n', " "),
                        post.hashtags.join(" #"),
                        signals.join(", ")
                    ) {
                        write_error = Some(e);
                        return;
                    }
                }
            }
        })
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    }
    let finish = |out: &mut BufWriter<io::StdoutLock>| -> io::Result<()> {
        write!(out, "{}", report.render())?;
        writeln!(
            out,
            "(commercial = verdict not organic; d. = disclosed: any clear or ambiguous disclosure found; a. = the same, \
             counting only disclosures of affiliate commissions — the scope of label sets that coded only those; {})",
            engine.describe()
        )?;
        out.flush()
    };
    if let Some(e) = write_error {
        return Err(format!("cannot write output: {e}"));
    }
    finish(&mut out).map_err(|e| format!("cannot write output: {e}"))?;
    Ok(failed == 0)
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Audit {
            file,
            format,
            report,
            lang,
        } => audit(file, *format, *report, lang),
        Command::Eval { files, show, limit } => evaluate(files, *show, *limit),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("deinfluencer: {message}");
            ExitCode::from(2)
        }
    }
}
