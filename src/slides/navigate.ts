import type { KeyAction } from './keymap.ts';
import { clampPosition, lastPosition, nextPosition, nextSlidePosition, previousPosition, previousSlidePosition, type DeckShape, type Position } from './position.ts';

/** Where a navigation action leads from `pos`; undefined for actions that are not navigation (overview, blackout…). */
export function positionForAction(shape: DeckShape, pos: Position, action: KeyAction): Position | undefined {
  switch (action.type) {
    case 'next':
      return nextPosition(shape, pos);
    case 'previous':
      return previousPosition(shape, pos);
    case 'next-slide':
      return nextSlidePosition(shape, pos);
    case 'previous-slide':
      return previousSlidePosition(shape, pos);
    case 'first':
      return { slide: 0, step: 0 };
    case 'last':
      return lastPosition(shape);
    case 'goto':
      return clampPosition(shape, { slide: action.slide - 1, step: 0 });
    default:
      return undefined;
  }
}

/** A swipe (touch moved by dx, dy CSS px) as a navigation action: horizontal, long enough, left means next. */
export function actionForSwipe(dx: number, dy: number, threshold = 50): KeyAction | undefined {
  if (Math.abs(dx) < threshold || Math.abs(dx) < Math.abs(dy) * 1.5) return undefined;
  return dx < 0 ? { type: 'next' } : { type: 'previous' };
}

/** What the screen reader hears on a slide change: "Slide 3 of 40: Services". */
export function describeSlide(index: number, total: number, title: string): string {
  return `Slide ${index + 1} of ${total}${title ? `: ${title}` : ''}`;
}
