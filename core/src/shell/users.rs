//! Users and groups from the image's /etc/passwd and /etc/group: who a RUN runs as
//! (`USER app`, `1000:1000`) and the names `id`, `ls -l`, `chown` print or accept.

use crate::fs::Fs;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswdEntry {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: String,
    pub shell: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupEntry {
    pub name: String,
    pub gid: u32,
    pub members: Vec<String>,
}

/// The identity a command runs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cred {
    pub uid: u32,
    pub gid: u32,
    /// Supplementary groups (what `id` prints after `groups=`).
    pub groups: Vec<u32>,
    pub home: String,
}

impl Cred {
    pub fn root() -> Cred {
        Cred {
            uid: 0,
            gid: 0,
            groups: vec![0],
            home: "/root".into(),
        }
    }

    pub fn is_root(&self) -> bool {
        self.uid == 0
    }
}

fn read_text(fs: &Fs, path: &str) -> String {
    fs.read(path)
        .ok()
        .and_then(|c| c.to_bytes_bounded(1 << 20))
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

pub fn passwd(fs: &Fs) -> Vec<PasswdEntry> {
    read_text(fs, "/etc/passwd")
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            Some(PasswdEntry {
                name: f.first()?.to_string(),
                uid: f.get(2)?.parse().ok()?,
                gid: f.get(3)?.parse().ok()?,
                home: f.get(5).unwrap_or(&"/").to_string(),
                shell: f.get(6).unwrap_or(&"/bin/sh").to_string(),
            })
        })
        .collect()
}

pub fn groups(fs: &Fs) -> Vec<GroupEntry> {
    read_text(fs, "/etc/group")
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            Some(GroupEntry {
                name: f.first()?.to_string(),
                gid: f.get(2)?.parse().ok()?,
                members: f
                    .get(3)
                    .map(|m| {
                        m.split(',')
                            .filter(|s| !s.is_empty())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect()
}

pub fn user_name(fs: &Fs, uid: u32) -> Option<String> {
    passwd(fs)
        .into_iter()
        .find(|p| p.uid == uid)
        .map(|p| p.name)
}

pub fn group_name(fs: &Fs, gid: u32) -> Option<String> {
    groups(fs)
        .into_iter()
        .find(|g| g.gid == gid)
        .map(|g| g.name)
}

/// A user given by name or number.
pub fn lookup_uid(fs: &Fs, spec: &str) -> Option<u32> {
    spec.parse().ok().or_else(|| {
        passwd(fs)
            .into_iter()
            .find(|p| p.name == spec)
            .map(|p| p.uid)
    })
}

pub fn lookup_gid(fs: &Fs, spec: &str) -> Option<u32> {
    spec.parse().ok().or_else(|| {
        groups(fs)
            .into_iter()
            .find(|g| g.name == spec)
            .map(|g| g.gid)
    })
}

/// Resolves a `USER` value like runc/BuildKit: `name`, `uid`, `name:group`, `uid:gid`.
/// An unknown user name fails (BuildKit: "unable to find user app: no matching entries in
/// passwd file"); a numeric uid without an entry runs with gid 0.
pub fn resolve_user(fs: &Fs, spec: &str) -> Result<Cred, String> {
    if spec.is_empty() {
        return Ok(resolve_user(fs, "root").unwrap_or_else(|_| Cred::root()));
    }
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let entries = passwd(fs);
    let entry = entries.iter().find(|p| p.name == user).or_else(|| {
        user.parse::<u32>()
            .ok()
            .and_then(|uid| entries.iter().find(|p| p.uid == uid))
    });
    let (uid, mut gid, home) = match (entry, user.parse::<u32>()) {
        (Some(p), _) => (p.uid, p.gid, p.home.clone()),
        (None, Ok(uid)) => (uid, 0, "/".to_string()),
        (None, Err(_)) => {
            return Err(format!(
                "unable to find user {user}: no matching entries in passwd file"
            ))
        }
    };
    if let Some(g) = group {
        gid = lookup_gid(fs, g).ok_or_else(|| {
            format!("unable to find group {g}: no matching entries in group file")
        })?;
    }
    // Current BuildKit adds the primary group as a supplementary one (truth README), plus the
    // groups that list the user by name.
    let mut groups_list = vec![gid];
    if let Some(p) = entry {
        for g in groups(fs) {
            if g.members.contains(&p.name) && !groups_list.contains(&g.gid) {
                groups_list.push(g.gid);
            }
        }
    }
    Ok(Cred {
        uid,
        gid,
        groups: groups_list,
        home,
    })
}
