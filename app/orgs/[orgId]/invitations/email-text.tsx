import { Fragment } from 'react';

/**
 * An address split where a line may break: after the `@` and before each dot, so a long address
 * wraps between its parts ("first.last@" / "example.com") rather than in the middle of a word.
 */
export function emailBreakSegments(email: string): string[] {
  const at = email.lastIndexOf('@');
  const [local, domain] = at < 0 ? [email, ''] : [email.slice(0, at + 1), email.slice(at + 1)];
  const beforeDots = (text: string) => text.split(/(?=\.)/).filter(Boolean);
  return [...beforeDots(local), ...beforeDots(domain)];
}

/**
 * An email address that wraps only at its natural break points (`<wbr>`); a single part longer
 * than the line still breaks rather than overflow.
 */
export function EmailText({ email, className }: { email: string; className?: string }) {
  return (
    <span className={['break-words', className].filter(Boolean).join(' ')}>
      {emailBreakSegments(email).map((segment, index) => (
        <Fragment key={index}>
          {index > 0 ? <wbr /> : null}
          {segment}
        </Fragment>
      ))}
    </span>
  );
}
