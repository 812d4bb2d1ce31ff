//! One pattern for the crate's closed sets of names (engines, strategies, policies,
//! reasons, windows, methods, ...): [`named_enum!`] gives an enum `ALL`, `as_str`,
//! [`FromStr`](std::str::FromStr), [`Display`](std::fmt::Display) and, with the `cli`
//! feature, `clap::ValueEnum`, all from one list of `Variant => "name"` pairs.

/// Implements the names of a field-less enum from `Variant => "name"` pairs (each
/// optionally `: "help"`, the help text of the command line), given the label `what`
/// that an error names (`policy`, `engine`, ...):
///
/// * `ALL`: every value, in the order listed;
/// * `as_str`: the name used in JSON, CSV and on the command line;
/// * `FromStr`: the inverse of `as_str`; an unknown name is an
///   [`Error::Invalid`](crate::Error::Invalid) at `what` listing the names expected;
/// * `Display`: `as_str`;
/// * with feature `cli`: `clap::ValueEnum` over `ALL` (the possible values and their
///   help).
macro_rules! named_enum {
    ($ty:ident, $what:literal, { $($variant:ident => $name:literal $(: $help:literal)?),+ $(,)? }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: [$ty; <[&str]>::len(&[$(stringify!($variant)),+])] = [$($ty::$variant),+];

            /// The name used in JSON, CSV and on the command line.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::Error;

            /// The value named `text` (as [`Self::as_str`] names it).
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $ty::ALL.into_iter().find(|v| v.as_str() == text).ok_or_else(|| {
                    let names: Vec<&str> = $ty::ALL.iter().map(|v| v.as_str()).collect();
                    $crate::Error::invalid($what, format!("expected one of {}, got '{text}'", names.join(", ")))
                })
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[cfg(feature = "cli")]
        impl clap::ValueEnum for $ty {
            fn value_variants<'a>() -> &'a [Self] {
                &$ty::ALL
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                match self {
                    $($ty::$variant => Some(clap::builder::PossibleValue::new($name)$(.help($help))?)),+
                }
            }
        }
    };
}

pub(crate) use named_enum;
