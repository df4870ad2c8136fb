//! One macro for the named kinds (systems, models, measures): each name is written once and
//! serves as the CLI value, the URL value and the JSON key, with the same `Display`, `FromStr`
//! and serde spelling.

/// Declares a fieldless enum whose variants each have one kebab-case name, and derives from that
/// one list: `ALL` (declaration order), `name()`, `Display`, `FromStr` (whose error lists every
/// name) and serde (`#[serde(rename = …)]` on each variant).
///
/// ```
/// lyapunov_lens::named_kind! {
///     /// A colour.
///     pub enum Colour ("colour") {
///         #[default]
///         Red => "red",
///         DarkBlue => "dark-blue",
///     }
/// }
/// assert_eq!(Colour::DarkBlue.to_string(), "dark-blue");
/// assert_eq!("red".parse::<Colour>(), Ok(Colour::Red));
/// assert_eq!(
///     "green".parse::<Colour>().unwrap_err(),
///     "unknown colour 'green' (expected one of: red, dark-blue)"
/// );
/// ```
#[macro_export]
macro_rules! named_kind {
    (
        $(#[$meta:meta])*
        $vis:vis enum $kind:ident ($what:literal) {
            $(
                $(#[$vmeta:meta])*
                $variant:ident => $name:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, Default,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        $vis enum $kind {
            $(
                $(#[$vmeta])*
                #[serde(rename = $name)]
                $variant,
            )+
        }

        impl $kind {
            /// Every kind, in declaration order.
            pub const ALL: [$kind; [$($name),+].len()] = [$($kind::$variant),+];

            /// The kind's one name: CLI value, URL value and JSON key.
            pub fn name(self) -> &'static str {
                match self {
                    $($kind::$variant => $name,)+
                }
            }
        }

        impl ::std::fmt::Display for $kind {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl ::std::str::FromStr for $kind {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                $kind::ALL
                    .into_iter()
                    .find(|k| k.name() == s)
                    .ok_or_else(|| {
                        let names: Vec<_> = $kind::ALL.iter().map(|k| k.name()).collect();
                        format!(
                            "unknown {} '{s}' (expected one of: {})",
                            $what,
                            names.join(", ")
                        )
                    })
            }
        }
    };
}
