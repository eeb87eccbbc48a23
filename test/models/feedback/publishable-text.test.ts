import { describe, expect, it } from 'vitest';
import { publishableText } from '../../../models/marts/feedback/fct_feedback.ts';

describe('publishable feedback text', () => {
  it('masks e-mails, handles, phone numbers and URL query strings, and caps the length', () => {
    expect(publishableText('Mail me at jane.doe+x@example.co.uk or call +1 (555) 010-2030, @janedoe says hi')).toBe('Mail me at [email] or call [phone], @user says hi');
    expect(publishableText('see https://shop.example.com/p/1?utm_source=x&email=a@b.c now')).toBe('see https://shop.example.com/p/1 now');
    expect(publishableText('x'.repeat(300))).toHaveLength(280);
    expect(publishableText('Size 10 boots, order 12345 arrived in 3 days 👍')).toBe('Size 10 boots, order 12345 arrived in 3 days 👍');
  });
});
