//! A sweep's base by name or path, for a job ([`load_base`]): a built-in name, a
//! directory of CSV tables (a county scenario), or a JSON file holding a county
//! scenario, a national round or a testing scenario — told apart by their top-level
//! keys, so a file of the wrong kind for the job is an error naming the file, what it
//! holds and what the job needs (not a list of missing fields).

use super::{Job, SweepBase};
use crate::error::{Error, Result};
use crate::model::builtin::{builtin, builtin_testing, BUILTIN};
use crate::model::Scenario;
use crate::process::NationalRound;
use crate::test_capacity::TestingScenario;
use std::path::Path;

/// What a JSON base file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseFile {
    /// A county scenario (`sites`, `items`, `status`): jobs county-round,
    /// national-round, simulate.
    CountyScenario,
    /// A national round (`requests`, `warehouses`): job national-round.
    NationalRound,
    /// A testing scenario (`municipalities`, `labs`, `demand`): job testing.
    TestingScenario,
}

impl BaseFile {
    /// The kind of the top-level JSON object `value` by its keys (each kind has keys
    /// the others lack); `None` when it has none of the sets.
    ///
    /// ```
    /// use allocnet::sweep::BaseFile;
    /// let round = serde_json::json!({"requests": [], "warehouses": [], "counties": []});
    /// assert_eq!(BaseFile::of_json(&round), Some(BaseFile::NationalRound));
    /// assert_eq!(BaseFile::of_json(&serde_json::json!([1, 2])), None);
    /// ```
    pub fn of_json(value: &serde_json::Value) -> Option<BaseFile> {
        let object = value.as_object()?;
        let has = |keys: &[&str]| keys.iter().all(|k| object.contains_key(*k));
        if has(&["requests", "warehouses"]) {
            Some(BaseFile::NationalRound)
        } else if has(&["municipalities", "labs"]) {
            Some(BaseFile::TestingScenario)
        } else if has(&["sites", "items", "status"]) {
            Some(BaseFile::CountyScenario)
        } else {
            None
        }
    }

    /// What the file holds, with the keys that tell it.
    pub fn describe(self) -> &'static str {
        match self {
            BaseFile::CountyScenario => "a county scenario (sites, items, status)",
            BaseFile::NationalRound => "a national round (requests, warehouses)",
            BaseFile::TestingScenario => "a testing scenario (municipalities, labs, demand)",
        }
    }

    /// The jobs a base of this kind runs.
    pub fn jobs(self) -> &'static [Job] {
        match self {
            BaseFile::CountyScenario => &[Job::CountyRound, Job::NationalRound, Job::Simulate],
            BaseFile::NationalRound => &[Job::NationalRound],
            BaseFile::TestingScenario => &[Job::Testing],
        }
    }

    /// The kind of base `job` needs, in words.
    fn needed_by(job: Job) -> &'static str {
        match job {
            Job::CountyRound | Job::Simulate => "a county scenario (sites, items, status)",
            Job::NationalRound => "a county scenario (sites, items, status) or a national round (requests, warehouses)",
            Job::Testing => "a testing scenario (municipalities, labs, demand)",
        }
    }
}

/// The base `name` for `job`: a built-in name ([`BUILTIN`]: the county scenario, or the
/// testing scenario for job `testing`), a directory of CSV tables (a county scenario)
/// or a JSON file: a county scenario ([`SweepBase::County`]), a national round (its
/// JSON as `NationalRound.to_json()` in Python writes it, or the `input` of a national
/// record of an audit log: [`SweepBase::Round`], job `national-round` only) or a
/// testing scenario ([`SweepBase::Testing`]). A file whose kind does not run `job` is
/// an [`Error::Invalid`] at the file's path saying what it holds and what the job needs.
pub fn load_base(name: &str, job: Job) -> Result<SweepBase> {
    if BUILTIN.contains(&name) {
        return Ok(match job {
            Job::Testing => SweepBase::Testing(builtin_testing(name)?),
            _ => SweepBase::County(builtin(name)?),
        });
    }
    let path = Path::new(name);
    if path.is_dir() {
        return match job {
            Job::Testing => Err(wrong_kind(name, "a directory of CSV tables (a county scenario)", job)),
            _ => Ok(SweepBase::County(Scenario::load(path)?)),
        };
    }
    let text = crate::limits::read_text_file(path)?;
    let source = path.display().to_string();
    // A file that is not JSON, or JSON of no known kind, goes to the job's own reader,
    // which names the line or the missing fields.
    let kind = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| BaseFile::of_json(&v));
    if let Some(kind) = kind.filter(|k| !k.jobs().contains(&job)) {
        return Err(wrong_kind(&source, kind.describe(), job));
    }
    Ok(match (kind, job) {
        (Some(BaseFile::NationalRound), _) => SweepBase::Round(national_round_from_json(&text, &source)?),
        (_, Job::Testing) => SweepBase::Testing(TestingScenario::from_json_str(&text, &source)?),
        _ => SweepBase::County(Scenario::from_json_str(&text, &source)?),
    })
}

/// Parses a national round from JSON text and checks it ([`NationalRound::validate`]);
/// a syntax or type error is an [`Error::Parse`] naming `source` and the line.
pub fn national_round_from_json(text: &str, source: &str) -> Result<NationalRound> {
    NationalRound::from_json_str(text, source)
}

fn wrong_kind(source: &str, holds: &str, job: Job) -> Error {
    Error::invalid(
        source,
        format!(
            "the file holds {holds}, but job {job} needs {}",
            BaseFile::needed_by(job)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::synthetic::vastmanland_default;
    use crate::process::simulate::default_warehouses;
    use crate::process::{run_county_round, RoundOptions};

    fn write(name: &str, text: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("allocnet-base-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn each_kind_of_file_loads_for_its_jobs_and_names_itself_for_others() {
        let scenario = vastmanland_default().unwrap();
        let plan = run_county_round(&scenario, &RoundOptions::default()).unwrap();
        let round = NationalRound::after_county_round(&scenario, &plan, default_warehouses(&scenario, 0.5)).unwrap();
        let round_path = write("round.json", &serde_json::to_string(&round).unwrap());
        let scenario_path = write("scenario.json", &scenario.to_json_string().unwrap());
        let r = round_path.to_str().unwrap();
        let s = scenario_path.to_str().unwrap();
        assert!(matches!(load_base(r, Job::NationalRound).unwrap(), SweepBase::Round(x) if x == round));
        assert!(matches!(load_base(s, Job::Simulate).unwrap(), SweepBase::County(x) if x == scenario));
        assert!(matches!(
            load_base(s, Job::NationalRound).unwrap(),
            SweepBase::County(_)
        ));
        for job in [Job::CountyRound, Job::Simulate, Job::Testing] {
            let err = load_base(r, job).unwrap_err().to_string();
            let want = format!("{r}: the file holds a national round (requests, warehouses), but job {job} needs");
            assert!(err.contains(&want), "{err}");
        }
        let err = load_base(s, Job::Testing).unwrap_err().to_string();
        assert!(
            err.contains(&format!(
                "{s}: the file holds a county scenario (sites, items, status), but job testing needs a testing scenario"
            )),
            "{err}"
        );
    }

    #[test]
    fn a_broken_round_file_names_its_line_or_field() {
        let path = write("broken.json", "{\"requests\": [],\n \"warehouses\": 3}");
        let err = load_base(path.to_str().unwrap(), Job::NationalRound).unwrap_err();
        assert!(matches!(err, Error::Parse { line: 2, .. }), "{err}");
        let unknown = write("other.json", "{\"hello\": 1}");
        let err = load_base(unknown.to_str().unwrap(), Job::CountyRound)
            .unwrap_err()
            .to_string();
        assert!(err.contains("other.json"), "{err}");
    }
}
