//! Showing a plan: text for a reviewer, JSON for tools. Separate from making it, so the plan's
//! content can be tested structurally and its look with snapshots.

use super::{Action, ChangeClass, FieldChange, Plan, Step};
use serde_json::{Value, json};
use std::fmt;

pub(super) struct Text<'a>(pub(super) &'a Plan);

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plan = self.0;
        writeln!(f, "Plan for user pool `{}` in {}: {}.", plan.pool_name, plan.region, summary(plan))?;
        for warning in &plan.warnings {
            writeln!(f, "warning: {warning}")?;
        }
        for resource in &plan.resources {
            writeln!(f)?;
            let (sign, verb) = match resource.action {
                Action::Create => ("+", "create"),
                Action::Update => ("~", "update"),
                Action::Replace => ("-/+", "replace"),
                Action::Delete => ("-", "delete"),
                Action::Unchanged => ("=", "unchanged"),
            };
            write!(f, "{sign} {verb} {}", resource.resource)?;
            if resource.action != Action::Unchanged {
                write!(f, "  [{}]", class_label(&resource.class))?;
            }
            writeln!(f)?;
            // A deleted resource's fields share its class: say it once, on the resource.
            let per_field = !matches!(resource.action, Action::Delete | Action::Create);
            for change in &resource.changes {
                writeln!(f, "    {}", field_line(change, per_field))?;
            }
        }
        if plan.steps.is_empty() {
            writeln!(f, "\nNo changes: the live configuration matches the spec.")?;
            return Ok(());
        }
        writeln!(f, "\nSteps:")?;
        for (index, step) in plan.steps.iter().enumerate() {
            writeln!(f, "  {:>2}. {} {}", index + 1, step.operation(), step_target(plan, step))?;
        }
        let destructive = plan.destructive();
        if !destructive.is_empty() {
            writeln!(f, "\nDestructive: deploy refuses these unless given `--allow-destructive <resource>` for each:")?;
            for key in destructive {
                writeln!(f, "  {key}")?;
            }
        }
        Ok(())
    }
}

fn summary(plan: &Plan) -> String {
    let counts = plan.counts();
    let parts: Vec<String> =
        [("create", "to create"), ("update", "to update"), ("replace", "to replace"), ("delete", "to delete")]
            .iter()
            .filter_map(|(key, label)| counts.get(key).map(|n| format!("{n} {label}")))
            .collect();
    let unchanged = counts.get("unchanged").copied().unwrap_or(0);
    if parts.is_empty() {
        format!("no changes ({unchanged} unchanged)")
    } else {
        format!("{}, {unchanged} unchanged", parts.join(", "))
    }
}

fn class_label(class: &ChangeClass) -> String {
    match class {
        ChangeClass::InPlace => "in place".to_string(),
        ChangeClass::AddOnly => "add-only".to_string(),
        ChangeClass::Destructive { reason } => format!("DESTRUCTIVE: {reason}"),
    }
}

fn field_line(change: &FieldChange, with_class: bool) -> String {
    let class = match &change.class {
        _ if !with_class => "",
        ChangeClass::Destructive { .. } => "  (destructive)",
        ChangeClass::AddOnly => "  (add-only)",
        ChangeClass::InPlace => "",
    };
    match (&change.old, &change.new) {
        (None, Some(new)) => format!("+ {}: {}{class}", change.field, value(new)),
        (Some(old), None) => format!("- {}: {}{class}", change.field, value(old)),
        (Some(old), Some(new)) => format!("~ {}: {} -> {}{class}", change.field, value(old), value(new)),
        (None, None) => format!("~ {}{class}", change.field),
    }
}

fn value(value: &Value) -> String {
    match value {
        Value::String(text) if text.starts_with('(') && text.ends_with(')') => text.clone(),
        other => other.to_string(),
    }
}

fn step_target(plan: &Plan, step: &Step) -> String {
    match step {
        Step::AddCustomAttributes { attributes } => {
            format!("{} ({})", plan.pool_name, attributes.keys().cloned().collect::<Vec<_>>().join(", "))
        }
        Step::DeleteClient { name, id: Some(id) } => format!("{name} ({id})"),
        Step::DeletePool { id, name } => format!("{name} ({id})"),
        Step::DeleteIdentityPool { name, id } => format!("{name} ({id})"),
        other => other.resource(&plan.pool_name).name(&plan.pool_name).to_string(),
    }
}

pub(super) fn json(plan: &Plan) -> Value {
    json!({
        "pool": plan.pool_name,
        "region": plan.region,
        "changes": plan.has_changes(),
        "summary": plan.counts(),
        "destructive": plan.destructive(),
        "warnings": plan.warnings,
        "pool_replacement": plan.pool_replacement,
        "resources": plan.resources,
        "steps": plan.steps.iter().map(|step| json!({
            "operation": step.operation(),
            "resource": step.resource(&plan.pool_name),
        })).collect::<Vec<_>>(),
    })
}
