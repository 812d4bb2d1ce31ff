//! The words of the public guidance, in English or Swedish ([`Lang`]): labels, site
//! kinds, test types, opening days in words and the notes a member of the public
//! reads. No internal codes: reasons are said in plain words.

use super::scenario::{SamplingKind, TestType, Weekday};
use crate::error::{Error, Result};

/// The language of the public guidance: `en` (default) or `sv`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (plain, Swedish context: 1177 is the healthcare advice line).
    #[default]
    En,
    /// Swedish.
    Sv,
}

impl Lang {
    /// Reads `en` or `sv`; anything else is an error naming `field`.
    pub fn parse(text: &str, field: &str) -> Result<Lang> {
        match text {
            "en" => Ok(Lang::En),
            "sv" => Ok(Lang::Sv),
            other => Err(Error::invalid(
                field.to_string(),
                format!("must be 'en' or 'sv', got '{other}'"),
            )),
        }
    }

    /// `en` or `sv` (the HTML `lang` attribute).
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Sv => "sv",
        }
    }

    fn pick(self, en: &'static str, sv: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Sv => sv,
        }
    }

    /// The page title's start.
    pub fn title(self) -> &'static str {
        self.pick("Where to get tested", "Här kan du testa dig")
    }

    /// The paragraph under the title.
    pub fn intro(self) -> &'static str {
        self.pick(
            "Find your municipality and your group below. The testing sites are listed nearest first. \
             If no site is listed for you, or you cannot get a time, call 1177 (the healthcare advice line) for advice.",
            "Hitta din kommun och din grupp nedan. Provtagningsställena står med det närmaste först. \
             Om inget ställe står för dig, eller om du inte får en tid, ring 1177 Vårdguiden för råd.",
        )
    }

    /// The notice on synthetic figures.
    pub fn synthetic(self) -> &'static str {
        self.pick(
            "SYNTHETIC example data — not real testing sites or capacities.",
            "SYNTETISKA exempeldata — inte verkliga provtagningsställen eller kapaciteter.",
        )
    }

    /// The table headings: group, test, where, address, open, distance, note.
    pub fn headings(self) -> [&'static str; 7] {
        match self {
            Lang::En => ["Group", "Test", "Where to go", "Address", "Open", "Distance", "Note"],
            Lang::Sv => ["Grupp", "Test", "Vart du går", "Adress", "Öppet", "Avstånd", "Obs"],
        }
    }

    /// A site kind for people.
    pub fn kind(self, kind: SamplingKind) -> &'static str {
        match kind {
            SamplingKind::DriveIn => self.pick("Drive-in", "Drive-in"),
            SamplingKind::HealthCentre => self.pick("Health centre", "Vårdcentral"),
            SamplingKind::HomeTestPickup => self.pick("Collect a home test", "Hämta hemtest"),
        }
    }

    /// A test type for people.
    pub fn test(self, t: TestType) -> &'static str {
        match t {
            TestType::Pcr => self.pick("PCR (current infection)", "PCR (pågående infektion)"),
            TestType::Serology => self.pick("Antibody test (serology)", "Antikroppstest (serologi)"),
        }
    }

    /// A day's name.
    pub fn day(self, d: Weekday) -> &'static str {
        let en = [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ];
        let sv = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"];
        match self {
            Lang::En => en[d as usize],
            Lang::Sv => sv[d as usize],
        }
    }

    /// Opening days in words: `Every day`, `Monday to Friday`, `Monday, Wednesday and
    /// Friday` (Swedish: `alla dagar`, `måndag–fredag`, `måndag, onsdag och fredag`).
    pub fn days(self, days: &[Weekday]) -> String {
        let mut sorted = days.to_vec();
        sorted.sort();
        sorted.dedup();
        if sorted.len() == 7 {
            return self.pick("Every day", "Alla dagar").to_string();
        }
        let contiguous = sorted.windows(2).all(|w| w[1] as usize == w[0] as usize + 1);
        let names: Vec<&str> = sorted.iter().map(|&d| self.day(d)).collect();
        match names.as_slice() {
            [] => String::new(),
            [one] => one.to_string(),
            [first, .., last] if contiguous && names.len() > 2 => {
                format!("{first}{}{last}", self.pick(" to ", "–"))
            }
            [init @ .., last] => format!("{}{}{last}", init.join(", "), self.pick(" and ", " och ")),
        }
    }

    /// A distance for people: one decimal, with the unit (`1.9 km`; Swedish `1,9 km`).
    pub fn km(self, km: f64) -> String {
        let text = format!("{:.1} km", km.max(0.0) + 0.0);
        match self {
            Lang::En => text,
            Lang::Sv => text.replace('.', ","),
        }
    }

    /// The note when only some of a group can be tested this week.
    pub fn partial(self, tested: i64, demand: i64) -> String {
        match self {
            Lang::En => format!(
                "This week there are times for {tested} of the {demand} people in this group who need a test. \
                 Book early; if you cannot get a time, call 1177 for advice."
            ),
            Lang::Sv => format!(
                "Den här veckan finns tider för {tested} av de {demand} personer i gruppen som behöver testas. \
                 Boka tidigt; får du ingen tid, ring 1177 Vårdguiden för råd."
            ),
        }
    }

    /// The note when no site offers the test within the group's reach; `nearest` is
    /// the distance of the nearest site offering it, if any.
    pub fn out_of_reach(self, nearest: Option<f64>) -> String {
        match (self, nearest) {
            (Lang::En, Some(km)) => format!(
                "No testing site for this test is close enough this week (the nearest is {} away). \
                 Call 1177 for advice on where to get tested.",
                self.km(km)
            ),
            (Lang::En, None) => {
                "No testing site offers this test this week. Call 1177 for advice on where to get tested.".into()
            }
            (Lang::Sv, Some(km)) => format!(
                "Inget provtagningsställe för det här testet ligger tillräckligt nära den här veckan (det närmaste ligger {} bort). \
                 Ring 1177 Vårdguiden för råd om var du kan testa dig.",
                self.km(km)
            ),
            (Lang::Sv, None) => "Inget provtagningsställe erbjuder det här testet den här veckan. \
                                 Ring 1177 Vårdguiden för råd om var du kan testa dig."
                .into(),
        }
    }

    /// The note when the sites in reach are fully booked (no room, kits or lab
    /// capacity left this week).
    pub fn fully_booked(self) -> String {
        self.pick(
            "All testing times near you are taken this week. Call 1177 for advice, and look again next week.",
            "Alla provtagningstider nära dig är bokade den här veckan. Ring 1177 Vårdguiden för råd och titta igen nästa vecka.",
        )
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    #[test]
    fn days_in_words() {
        assert_eq!(Lang::En.days(&[Mon, Tue, Wed, Thu, Fri]), "Monday to Friday");
        assert_eq!(Lang::Sv.days(&[Mon, Tue, Wed, Thu, Fri]), "måndag–fredag");
        assert_eq!(Lang::En.days(&[Fri, Mon, Wed]), "Monday, Wednesday and Friday");
        assert_eq!(Lang::Sv.days(&[Mon, Wed, Fri]), "måndag, onsdag och fredag");
        assert_eq!(Lang::En.days(&[Sat, Sun]), "Saturday and Sunday");
        assert_eq!(Lang::En.days(&[Tue]), "Tuesday");
        assert_eq!(Lang::En.days(&Weekday::ALL), "Every day");
    }

    #[test]
    fn km_has_one_decimal_and_no_minus_zero() {
        assert_eq!(Lang::En.km(36.0), "36.0 km");
        assert_eq!(Lang::En.km(1.94), "1.9 km");
        assert_eq!(Lang::En.km(-0.0), "0.0 km");
        assert_eq!(Lang::Sv.km(1.94), "1,9 km");
    }

    #[test]
    fn lang_parses_en_and_sv_only() {
        assert_eq!(Lang::parse("sv", "--lang").unwrap(), Lang::Sv);
        let e = Lang::parse("de", "--lang").unwrap_err().to_string();
        assert!(e.contains("--lang") && e.contains("'de'"), "{e}");
    }
}
