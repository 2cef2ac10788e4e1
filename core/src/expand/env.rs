//! Where expansion looks variables up: the `Env` trait (BuildKit's `shell.EnvGetter`) and its
//! implementations for the shapes callers hold (pair lists, maps, one env over another).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// A read-only variable lookup. `None` means unset, which BuildKit distinguishes from empty
/// (`${V-d}` vs `${V:-d}`). Values are borrowed when the env holds them, owned when it
/// computes them (see [`FnEnv`]).
pub trait Env {
    fn get(&self, name: &str) -> Option<Cow<'_, str>>;
}

/// An env with no variables.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmptyEnv;

impl Env for EmptyEnv {
    fn get(&self, _name: &str) -> Option<Cow<'_, str>> {
        None
    }
}

/// A list of `(name, value)` pairs; a later pair overrides an earlier one with the same name,
/// as a later `ENV`/`ARG` overrides an earlier one.
impl<K: AsRef<str>, V: AsRef<str>> Env for [(K, V)] {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        let (_, v) = self.iter().rev().find(|(k, _)| k.as_ref() == name)?;
        Some(Cow::Borrowed(v.as_ref()))
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Env for Vec<(K, V)> {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        Env::get(self.as_slice(), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Env for [(K, V); N] {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        Env::get(self.as_slice(), name)
    }
}

impl<V: AsRef<str>> Env for BTreeMap<String, V> {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        BTreeMap::get(self, name).map(|v| Cow::Borrowed(v.as_ref()))
    }
}

impl<V: AsRef<str>, S: std::hash::BuildHasher> Env for HashMap<String, V, S> {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        HashMap::get(self, name).map(|v| Cow::Borrowed(v.as_ref()))
    }
}

/// `top` first, then `bottom`: e.g. a stage's ENV over the build args in scope.
#[derive(Clone, Copy)]
pub struct Layered<'a> {
    pub top: &'a dyn Env,
    pub bottom: &'a dyn Env,
}

impl Env for Layered<'_> {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        self.top.get(name).or_else(|| self.bottom.get(name))
    }
}

/// A lookup function, for callers whose variables live in their own structure:
/// `FnEnv(|name: &str| state.lookup(name))`.
pub struct FnEnv<F>(pub F);

impl<F> Env for FnEnv<F>
where
    F: Fn(&str) -> Option<String>,
{
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        (self.0)(name).map(Cow::Owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_pairs_override_earlier_ones_and_layers_fall_through() {
        let list = vec![("A", "1"), ("B", ""), ("A", "2")];
        assert_eq!(list.get("A").as_deref(), Some("2"));
        assert_eq!(list.get("B").as_deref(), Some(""));
        assert_eq!(list.get("C"), None);
        let top = vec![("B", "top")];
        let both = Layered {
            top: &top,
            bottom: &list,
        };
        assert_eq!(both.get("B").as_deref(), Some("top"));
        assert_eq!(both.get("A").as_deref(), Some("2"));
        assert_eq!([("K", "v")].get("K").as_deref(), Some("v"));
        let computed = FnEnv(|n: &str| (n == "X").then(|| "x".repeat(2)));
        assert_eq!(computed.get("X").as_deref(), Some("xx"));
    }
}
