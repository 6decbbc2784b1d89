/**
 * The input rules every service applies to request bodies, as Bean Validation constraints: one definition of an
 * agency id and of acceptable text, so a title refused by one service is refused by all of them, the same way.
 * {@link cn.chuanyu.kit.validation.TextRules} is the plain-Java check behind the text constraints, for callers that
 * validate outside Bean Validation.
 */
package cn.chuanyu.kit.validation;
