//! Operation roles: what an operation does to its resource (decided by `codegen` from where its
//! path sits under the resource's prefix).

use serde::{Deserialize, Serialize};

/// What an operation does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// `GET` on the collection.
    List,
    /// `POST` on the collection.
    Create,
    /// `PUT` on the collection: the objects the body lists.
    BulkUpdate,
    /// `PATCH` on the collection: the objects the body lists.
    BulkEdit,
    /// `DELETE` on the collection.
    DeleteAll,
    /// `GET` on one item.
    Get,
    /// `POST` on one item.
    CreateItem,
    /// `PUT` on one item.
    Update,
    /// `PATCH` on one item.
    Edit,
    /// `DELETE` on one item.
    Delete,
    /// Anything else: an action, named by the path's last literal segment when it ends in one.
    Action {
        /// That segment (`psk_generate`), if the path ends in a literal.
        segment: Option<String>,
    },
}

impl Role {
    /// Whether the operation addresses the whole collection.
    pub fn on_collection(&self) -> bool {
        matches!(
            self,
            Role::List | Role::Create | Role::BulkUpdate | Role::BulkEdit | Role::DeleteAll
        )
    }

    /// Whether the operation addresses one item of the collection.
    pub fn on_item(&self) -> bool {
        matches!(
            self,
            Role::Get | Role::CreateItem | Role::Update | Role::Edit | Role::Delete
        )
    }
}
