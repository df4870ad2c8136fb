//! The protocol every resumable computation follows (an orbit integrated interval by interval,
//! a limit cycle's transient, its shooting, its adjoint, a kick): work in units while the work
//! is pending, asking `out_of_time` between units but never before the first, so that every
//! call makes progress however small the budget. The page gives each frame's share through
//! `out_of_time`; a one-go run passes `&mut || false`.

use std::convert::Infallible;

/// Runs `unit` on `run` while `pending(run)`, asking `out_of_time` between units (never before
/// the first). Returns whether the work is done, or the first unit's error.
pub fn try_in_units<T: ?Sized, E>(
    run: &mut T,
    pending: impl Fn(&T) -> bool,
    out_of_time: &mut dyn FnMut() -> bool,
    mut unit: impl FnMut(&mut T) -> Result<(), E>,
) -> Result<bool, E> {
    let mut first = true;
    while pending(run) {
        if !first && out_of_time() {
            return Ok(false);
        }
        first = false;
        unit(run)?;
    }
    Ok(true)
}

/// [`try_in_units`] for units that cannot fail.
pub fn in_units<T: ?Sized>(
    run: &mut T,
    pending: impl Fn(&T) -> bool,
    out_of_time: &mut dyn FnMut() -> bool,
    mut unit: impl FnMut(&mut T),
) -> bool {
    let done = try_in_units(run, pending, out_of_time, |run| {
        unit(run);
        Ok::<(), Infallible>(())
    });
    match done {
        Ok(done) => done,
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_unit_always_runs_and_the_budget_is_asked_between_units() {
        let mut count = 0;
        let mut asked = 0;
        let done = in_units(
            &mut count,
            |c| *c < 5,
            &mut || {
                asked += 1;
                true
            },
            |c| *c += 1,
        );
        assert_eq!((done, count, asked), (false, 1, 1));
        let mut count = 0;
        assert!(in_units(&mut count, |c| *c < 5, &mut || false, |c| *c += 1));
        assert_eq!(count, 5);
        let mut count = 5;
        let mut asked = 0;
        assert!(in_units(
            &mut count,
            |c| *c < 5,
            &mut || {
                asked += 1;
                true
            },
            |c| *c += 1
        ));
        assert_eq!(
            (count, asked),
            (5, 0),
            "nothing pending: no unit, no question"
        );
        let mut count = 0;
        let failed = try_in_units(
            &mut count,
            |_| true,
            &mut || false,
            |c| {
                *c += 1;
                if *c == 3 {
                    Err("third")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!((failed, count), (Err("third"), 3));
    }
}
