//! A value that follows another one frame later, so that what the user is
//! looking at paints first.
//!
//! A filter change updates the timeline (the count and the cards) in the
//! frame after the click. The panels beside it (facet counts, the density
//! strip's picked overlay) each pass over every event again; run in the
//! same task, they would push that frame back by their cost. Read through
//! [`after_paint`], they recompute in a task of their own once the frame
//! with the new list has been drawn, and show their numbers one frame
//! later. The same holds at start-up: the first timeline paint does not
//! wait for them. They run at background priority, so that the next input
//! is handled before them.

use leptos::prelude::*;

/// A signal that takes `source`'s value after the next frame has been
/// painted. Several changes before then are folded into one update (the
/// latest value); the first value is `source`'s at creation.
pub fn after_paint<T>(source: Memo<T>) -> ReadSignal<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let out = RwSignal::new(source.get_untracked());
    // An update is already scheduled: it will read the latest value.
    let scheduled = StoredValue::new(false);
    Effect::new(move |_| {
        source.track();
        if scheduled.get_value() {
            return;
        }
        scheduled.set_value(true);
        after_next_paint(move || {
            scheduled.set_value(false);
            let value = source.get_untracked();
            if out.with_untracked(|v| *v != value) {
                out.set(value);
            }
        });
    });
    out.read_only()
}

/// False until the frame after this call has been painted, then true: for
/// a panel that should not hold back the first paint of the timeline.
pub fn painted() -> ReadSignal<bool> {
    let done = RwSignal::new(false);
    after_next_paint(move || done.set(true));
    done.read_only()
}

/// Runs `f` in a task of its own once the next frame has been painted:
/// the animation frame callback runs just before the frame is drawn, and
/// a task queued there runs after it.
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    request_animation_frame(move || post_background_task(f));
}

/// Queues `f` as a task of background priority where the browser has the
/// Prioritized Task Scheduling API (`scheduler.postTask`; Chromium,
/// Firefox), else as a zero timeout. What runs after the paint can wait:
/// a click, a keystroke or a message already queued goes first, instead
/// of queueing behind up to three passes over every event.
fn post_background_task(f: impl FnOnce() + 'static) {
    use wasm_bindgen::{closure::Closure, JsCast};

    // Freed by its one call; the task is never aborted (no signal).
    let callback = Closure::once_into_js(f);
    let posted = POST_TASK.with(|post| {
        let (scheduler, post_task, options) = post.as_ref()?;
        post_task.call2(scheduler, &callback, options).ok()
    });
    match posted {
        // The promise rejects only if the callback throws, which the
        // console reports once already.
        Some(promise) => {
            if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
                IGNORE.with(|ignore| {
                    let _ = promise.catch(ignore);
                });
            }
        }
        // No scheduler, or it refused (a stub, an old polyfill): the work
        // must still run, or what waits for it (the next history entry,
        // the facet counts) would wait for ever.
        None => {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback(callback.unchecked_ref());
            }
        }
    }
}

thread_local! {
    /// `scheduler`, its `postTask` and `{ priority: "background" }`, looked
    /// up once; `None` where the browser lacks them.
    static POST_TASK: Option<(wasm_bindgen::JsValue, js_sys::Function, js_sys::Object)> = {
        use js_sys::{Function, Object, Reflect};
        use wasm_bindgen::{JsCast, JsValue};
        let scheduler = Reflect::get(&js_sys::global(), &JsValue::from_str("scheduler"))
            .ok()
            .filter(JsValue::is_object);
        scheduler.and_then(|scheduler| {
            let post_task = Reflect::get(&scheduler, &JsValue::from_str("postTask"))
                .ok()?
                .dyn_into::<Function>()
                .ok()?;
            let options = Object::new();
            Reflect::set(&options, &"priority".into(), &"background".into()).ok()?;
            Some((scheduler, post_task, options))
        })
    };
    /// One handler for every task's promise, not one closure per task.
    static IGNORE: wasm_bindgen::closure::Closure<dyn FnMut(wasm_bindgen::JsValue)> =
        wasm_bindgen::closure::Closure::new(|_| {});
}
