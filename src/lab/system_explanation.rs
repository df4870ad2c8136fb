//! The first paragraphs of "What am I looking at?", computed from the chosen system's catalogue
//! entry and the chosen measure, so that Lorenz is explained as Lorenz and not as predator–prey:
//! what the system is, whether it has a conserved V (and so ∂V/∂n), and what the measure on the
//! time plot means for it.

use crate::measures::measure::Measure;
use crate::systems::catalogue::SystemKind;

/// (heading, paragraph) pairs for `system` compared with `measure`.
pub fn system_paragraphs(system: SystemKind, measure: Measure) -> Vec<(&'static str, String)> {
    let names = system.state_names().join(", ");
    let dim = system.dim();
    let kind = if system.has_lyapunov() {
        "every orbit is a closed loop on which a conserved quantity stays fixed"
    } else if system.has_limit_cycle() {
        "orbits settle onto one attracting loop, a limit cycle"
    } else {
        "orbits are chaotic: they never repeat, and nearby ones separate"
    };
    let mut out = vec![(
        "The system.",
        format!(
            "{} {} It has {dim} state variables ({names}); {kind}.{}",
            system.title(),
            system.description(),
            if dim > 2 {
                " The phase portrait shows two of them at a time (\"plot\")."
            } else {
                ""
            }
        ),
    )];
    if system.has_lyapunov() {
        out.push((
            "The conserved quantity V.",
            "V does not change along an orbit (dV/dt = 0), so each orbit is a level set of V; the faint bands behind the dots are level sets of V. The paper calls it a Lyapunov function. Its normal derivative ∂V/∂n is the slope of V straight across the orbit, along n = Jf/|f| (the velocity turned by a right angle): where it is small, V is flat, and a nudge across the orbit changes V only a little.".to_string(),
        ));
    } else {
        out.push((
            "No conserved V.",
            format!(
                "The {} has no conserved quantity, so the paper's ∂V/∂n does not exist here and there are no level sets to draw. Attention is compared with a measure that exists for every system: the finite-time Lyapunov exponent{}.",
                system.title(),
                if dim == 2 { " or the growth of kicks across the orbit" } else { "" }
            ),
        ));
    }
    out.push((
        "The measure on the time plot.",
        format!(
            "{}: {}. Where it is high, {}; where it is low, {}. The claim reads as attention being higher where it is low (negative r and ρ).",
            measure.symbol(),
            measure.description(),
            measure.high_means(),
            measure.low_means()
        ),
    ));
    if dim > 2 {
        out.push((
            "What does not apply in 3-D.",
            "A 3-D orbit has no single normal direction, so the normal kick experiment (and clicking a dot to kick), the direction field, the nullclines and CSV import (2 columns) are disabled here, each with this reason. Kick every point still works, with kicks in random directions.".to_string(),
        ));
    }
    out
}
