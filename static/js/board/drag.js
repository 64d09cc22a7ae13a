// Drag and drop on the board (SortableJS): a story onto a theme or "Not
// grouped", a theme by its handle onto another theme to merge them. Every
// drag has a keyboard twin (grouping.js).

import { Sortable, Swap } from "../../vendor/sortable.esm.js";

Sortable.mount(new Swap());

const DRAG_FILTER = "input, select, textarea, button, a, label, .edit-form";

/**
 * Returns `{makeStoryList, makeThemeList, dropRemovedLists, isDragging}`.
 * While a card or theme is being dragged, the wall waits for the drop before
 * it redraws (`isDragging()`).
 */
export function initDrag(ctx, { moveToTheme, mergeThemes }) {
  let dragging = false;
  /** Sortable lists of theme boxes, destroyed when their theme goes. */
  const storyLists = new Set();

  function dragStarted() {
    dragging = true;
    ctx.body.classList.add("is-dragging");
  }

  function dragEnded() {
    dragging = false;
    ctx.body.classList.remove("is-dragging");
  }

  function dropRemovedLists() {
    for (const sortable of storyLists) {
      if (!sortable.el.isConnected) {
        sortable.destroy();
        storyLists.delete(sortable);
      }
    }
  }

  /** Let stories be dragged out of and into `list` (a theme's cards, or "Not grouped"). */
  function makeStoryList(list) {
    const sortable = Sortable.create(list, {
      group: "stories",
      sort: false,
      animation: 150,
      draggable: ".card",
      filter: DRAG_FILTER,
      preventOnFilter: false,
      emptyInsertThreshold: 40,
      ghostClass: "card--ghost",
      chosenClass: "card--chosen",
      onStart: dragStarted,
      onEnd: (event) => {
        dragEnded();
        const id = Number((event.item.dataset.key || "").replace("c:", ""));
        if (event.from !== event.to && id) {
          const target = event.to.dataset.themeId;
          moveToTheme(id, target ? Number(target) : null);
        }
        ctx.render();
      },
    });
    storyLists.add(sortable);
  }

  /** Dragging a theme by its handle onto another theme merges them. */
  function makeThemeList(list) {
    Sortable.create(list, {
      group: "themes",
      swap: true,
      swapClass: "theme-box--merge-target",
      handle: ".theme-grip",
      draggable: ".theme-box",
      animation: 150,
      ghostClass: "theme-box--ghost",
      onStart: dragStarted,
      onEnd: async (event) => {
        dragEnded();
        const target = event.swapItem;
        ctx.render();
        if (target && target !== event.item) {
          await mergeThemes(Number(event.item.dataset.themeId), Number(target.dataset.themeId));
        }
      },
    });
  }

  return { makeStoryList, makeThemeList, dropRemovedLists, isDragging: () => dragging };
}
